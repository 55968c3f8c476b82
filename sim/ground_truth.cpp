#include "sim/ground_truth.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace tracesim {

namespace {

std::string text_at(const JsonValue& v, std::string_view key) {
    const JsonValue* s = v.get(key);
    return s && s->is(JsonValue::Kind::string) ? s->string : "";
}

int64_t integer_at(const JsonValue& v, std::string_view key) {
    const JsonValue* n = v.get(key);
    return n && n->is(JsonValue::Kind::number) ? n->integer : 0;
}

// The counts the ground truth compares: instructions, loads, stores.
Metrics counts_of(const JsonValue& metrics) {
    Metrics m;
    m.instructions = integer_at(metrics, "instructions");
    m.loads = integer_at(metrics, "loads");
    m.stores = integer_at(metrics, "stores");
    return m;
}

// Only the counts add up over phases (lines and stack depth do not).
void add_counts(Metrics& to, const Metrics& m) {
    to.instructions += m.instructions;
    to.loads += m.loads;
    to.stores += m.stores;
}

Expected<Record> record_of(const JsonValue& r, const std::string& file) {
    Record out;
    auto arch = parse_arch(text_at(r, "arch"));
    if (!arch) return make_error("{}: a record without a known arch", file);
    out.arch = *arch;
    out.path = text_at(r, "path");
    out.kernel = text_at(r, "kernel");
    out.handler = text_at(r, "handler");
    out.source = text_at(r, "source");
    out.calls = static_cast<int>(integer_at(r, "calls"));
    const JsonValue* supported = r.get("supported");
    out.supported = supported && supported->is(JsonValue::Kind::boolean) && supported->boolean;
    if (const JsonValue* per_call = r.get("per_call")) out.per_call = counts_of(*per_call);
    if (const JsonValue* phases = r.get("phases"))
        for (const auto& [name, metrics] : phases->object) {
            auto phase = parse_phase(name);
            if (!phase)
                return make_error("{}: {} {}: unknown phase '{}'", file, out.arch, out.path, name);
            out.phases.push_back({*phase, counts_of(metrics)});
        }
    std::sort(out.phases.begin(), out.phases.end(),
              [](const PhaseMetrics& a, const PhaseMetrics& b) { return a.phase < b.phase; });
    return out;
}

// Does the booted kernel's `phase` mean what the model's does (the file comment)?
bool compared(Phase phase, const Record& booted) {
    if (phase == Phase::caller || phase == Phase::body) return false;
    return phase != Phase::handler || booted.handler != kernel_tracer_handler;
}

Metrics counts_in(const Record& r, Phase phase) {
    for (const PhaseMetrics& p : r.phases)
        if (p.phase == phase) return p.metrics;
    return {};
}

double off(int64_t model, int64_t booted) {
    if (booted == 0) return model == 0 ? 0 : 1;
    return std::fabs(static_cast<double>(model - booted)) / static_cast<double>(booted);
}

} // namespace

Expected<std::vector<BootedTruth>> read_booted_truth(const JsonValue& boot_json,
                                                     const std::string& file) {
    const JsonValue* results = boot_json.get("results");
    if (!results || !results->is(JsonValue::Kind::array))
        return make_error("{}: no results (not a `tracesim boot --format json` output)", file);
    std::vector<Record> records;
    for (const JsonValue& r : results->array) {
        auto record = record_of(r, file);
        if (!record) return record.take_error();
        records.push_back(std::move(*record));
    }
    // Two layouts, each by position: `tracesim boot` puts each booted record right before its
    // model (whose path may differ: kprobe's is kprobe-ftrace), `boot --scenario` all booted
    // records first and then their models in the same order.
    auto booted = [&](size_t i) { return records[i].source == "boot"; };
    std::vector<size_t> booted_at, models_at;
    for (size_t i = 0; i < records.size(); ++i)
        (booted(i) ? booted_at : models_at).push_back(i);
    if (booted_at.empty()) return std::vector<BootedTruth>{};
    const bool interleaved = booted_at.size() < 2 || booted_at[1] != booted_at[0] + 1;
    if (!interleaved &&
        (booted_at.size() != models_at.size() || models_at.front() < booted_at.back()))
        return make_error("{}: {} booted records and {} models, not one model for each after "
                          "them",
                          file, booted_at.size(), models_at.size());
    std::vector<BootedTruth> out;
    for (size_t k = 0; k < booted_at.size(); ++k) {
        const size_t i = booted_at[k];
        const size_t m = interleaved ? i + 1 : models_at[k];
        if (m >= records.size() || booted(m))
            return make_error("{}: the booted {} {} has no model record after it", file,
                              records[i].arch, records[i].path);
        if (!interleaved && records[m].path != records[i].path)
            return make_error("{}: the booted {} {} is paired with the model of {}", file,
                              records[i].arch, records[i].path, records[m].path);
        const Record& b = records[i];
        if (!b.supported || b.path == "none" || !records[m].supported) continue;
        out.push_back({file, b, records[m]});
    }
    return out;
}

TruthComparison compare_with_truth(const BootedTruth& truth, const Record& model) {
    TruthComparison c;
    c.file = truth.file;
    c.arch = truth.booted.arch;
    c.booted_path = truth.booted.path;
    c.release = truth.booted.kernel;
    c.model_path = model.path;
    c.era = model.kernel;
    for (Phase phase : all_phases) {
        if (!compared(phase, truth.booted)) continue;
        const bool in_model = std::any_of(model.phases.begin(), model.phases.end(),
                                          [&](const PhaseMetrics& p) { return p.phase == phase; });
        const bool in_booted = std::any_of(truth.booted.phases.begin(), truth.booted.phases.end(),
                                           [&](const PhaseMetrics& p) { return p.phase == phase; });
        if (!in_model && !in_booted) continue;
        TruthPhase p{phase, counts_in(model, phase), counts_in(truth.booted, phase)};
        add_counts(c.model_total, p.model);
        add_counts(c.booted_total, p.booted);
        const double o = off(p.model.instructions, p.booted.instructions);
        if (!c.worst || o > c.worst_off) c.worst = phase, c.worst_off = o;
        c.phases.push_back(p);
    }
    c.total_off = off(c.model_total.instructions, c.booted_total.instructions);
    return c;
}

void check_against_truth(const TruthComparison& then, const TruthComparison& now,
                         CheckReport& report) {
    const std::string scenario = "booted " + now.file;
    if (std::find(report.scenarios.begin(), report.scenarios.end(), scenario) ==
        report.scenarios.end())
        report.scenarios.push_back(scenario);
    ++report.records;
    const std::string record =
        fmt::format("{} {} (model {} {})", now.arch, now.booted_path, now.model_path, now.era);
    auto find = [](const TruthComparison& c, Phase phase) -> const TruthPhase* {
        for (const TruthPhase& p : c.phases)
            if (p.phase == phase) return &p;
        return nullptr;
    };
    // Every phase either side compared: one the model no longer has counts as 0 now.
    std::vector<TruthPhase> phases = now.phases;
    for (const TruthPhase& p : then.phases)
        if (!find(now, p.phase)) phases.push_back({p.phase, Metrics{}, p.booted});
    for (const TruthPhase& p : phases) {
        const TruthPhase* before = find(then, p.phase);
        const Metrics old_model = before ? before->model : Metrics{};
        struct Count {
            const char* name;
            int64_t Metrics::*field;
        };
        for (const Count& count :
             {Count{"instructions", &Metrics::instructions}, Count{"loads", &Metrics::loads},
              Count{"stores", &Metrics::stores}}) {
            ++report.values;
            const int64_t booted = p.booted.*count.field;
            const int64_t was = old_model.*count.field, is = p.model.*count.field;
            const int64_t distance_was = std::llabs(was - booted),
                          distance_is = std::llabs(is - booted);
            if (distance_is == distance_was) continue;
            Change c{scenario,
                     record,
                     std::string(name_of(p.phase)),
                     fmt::format("{} off booted ({})", count.name, booted),
                     fmt::format("{}", was),
                     fmt::format("{}", is)};
            c.numeric = true;
            c.delta = static_cast<double>(is - was);
            c.relative = was != 0 ? c.delta / static_cast<double>(was) : 0;
            c.kind = distance_is > distance_was ? ChangeKind::regression : ChangeKind::improvement;
            report.changes.push_back(std::move(c));
        }
    }
}

} // namespace tracesim
