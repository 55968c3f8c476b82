#include "sim/check.h"

#include "sim/metric_table.h"
#include "sim/results.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace tracesim {

namespace {

// One value the gate compares: its text (for display, and to compare what is not a number) and
// its number, when it is one.
struct Flat {
    std::string text;
    std::optional<double> number;
};

using FlatRecord = std::map<std::pair<std::string, std::string>, Flat>; // (where, metric) -> value

// A number's text: the integer when it is whole, else as %g.
std::string number_text(double number, int64_t integer) {
    return number == std::floor(number) ? std::to_string(integer) : fmt::format("{:g}", number);
}

Flat flat_of(const JsonValue& v) {
    switch (v.kind) {
    case JsonValue::Kind::null:
        return {"null", std::nullopt};
    case JsonValue::Kind::boolean:
        return {v.boolean ? "true" : "false", std::nullopt};
    case JsonValue::Kind::number:
        return {number_text(v.number, v.integer), v.number};
    case JsonValue::Kind::string:
        return {v.string, std::nullopt};
    default:
        return {"...", std::nullopt};
    }
}

Flat flat_of(int64_t v) {
    return {std::to_string(v), static_cast<double>(v)};
}
// A real as the JSON writes it, three decimals: what the baseline holds of the same value.
Flat flat_of(double v) {
    const double written = std::strtod(fmt::format("{:.3f}", v).c_str(), nullptr);
    return {number_text(written, static_cast<int64_t>(written)), written};
}
Flat flat_of(bool v) {
    return {v ? "true" : "false", std::nullopt};
}
Flat flat_of(std::string v) {
    return {std::move(v), std::nullopt};
}

std::string string_at(const JsonValue& record, std::string_view key) {
    const JsonValue* v = record.get(key);
    return v && v->is(JsonValue::Kind::string) ? v->string : "-";
}

std::string record_key(std::string_view arch, std::string_view path, std::string_view kernel,
                       std::string_view handler, std::string_view core) {
    return fmt::format("{} {} {} {}{}", arch, path, kernel, handler,
                       core.empty() ? "" : fmt::format(" {}", core));
}

std::string key_of(const JsonValue& record) {
    const std::string core = string_at(record, "core");
    return record_key(string_at(record, "arch"), string_at(record, "path"),
                      string_at(record, "kernel"), string_at(record, "handler"),
                      core == "-" ? "" : core);
}

std::string key_of(const Record& r) {
    return record_key(name_of(r.arch), r.path, r.kernel, r.handler, r.core);
}

// What the gate compares of one baseline record, flattened.
FlatRecord flatten(const JsonValue& record) {
    FlatRecord out;
    auto put = [&](std::string where, std::string metric, const JsonValue& v) {
        out[{std::move(where), std::move(metric)}] = flat_of(v);
    };
    if (const JsonValue* s = record.get("supported")) put("support", "supported", *s);
    if (const JsonValue* per_call = record.get("per_call"))
        for (const auto& [metric, value] : per_call->object)
            put("per call", metric, value);
    if (const JsonValue* phases = record.get("phases"))
        for (const auto& [phase, metrics] : phases->object)
            for (const auto& [metric, value] : metrics.object)
                put(phase, metric, value);
    if (const JsonValue* traps = record.get("traps")) put("per call", "traps", *traps);
    // Functional truth: a path that returns the wrong value or clobbers a register is no
    // "improvement" however few instructions it runs.
    if (const JsonValue* checks = record.get("checks"))
        for (const char* field : {"return_value", "callee_saved", "stack_balanced"})
            if (const JsonValue* v = checks->get(field)) put("checks", field, *v);
    if (const JsonValue* regs = record.get("regs_check"))
        for (const JsonValue& field : regs->array)
            if (const JsonValue* status = field.get("status"))
                put("regs " + string_at(field, "at"), string_at(field, "field"), *status);
    return out;
}

// The same values of a current record, from its fields (what the JSON view writes of them).
FlatRecord flatten(const Record& r) {
    FlatRecord out;
    auto put = [&](std::string where, std::string_view metric, auto value) {
        out[{std::move(where), std::string(metric)}] = flat_of(value);
    };
    put("support", "supported", r.supported);
    if (!r.supported) return out;
    for_each_record_metric(r.per_call, r.cycles_per_call ? &*r.cycles_per_call : nullptr,
                           [&](std::string_view metric, auto v) { put("per call", metric, v); });
    for (const PhaseMetrics& p : r.phases)
        for_each_record_metric(p.metrics, cycles_of(r, p.phase),
                               [&](std::string_view metric, auto v) {
                                   put(std::string(name_of(p.phase)), metric, v);
                               });
    put("per call", "traps", r.traps);
    put("checks", "return_value", r.checks.return_value);
    put("checks", "callee_saved", r.checks.callee_saved);
    put("checks", "stack_balanced", r.checks.stack_balanced);
    for (const FieldCheck& c : r.regs_check)
        put("regs " + c.at, c.field, std::string(name_of(c.status)));
    return out;
}

bool higher_is_better(std::string_view metric) {
    const MetricInfo* m = find_metric(metric);
    return m && m->higher_is_better;
}
bool toleranced(std::string_view metric) {
    const MetricInfo* m = find_metric(metric);
    return m && m->toleranced;
}

} // namespace

bool CheckReport::regressed(bool strict) const {
    return std::any_of(changes.begin(), changes.end(), [&](const Change& c) {
        return c.kind != ChangeKind::improvement || strict;
    });
}

Expected<void> compare_with_baseline(const Scenario& scenario, const JsonValue& baseline,
                                     const Results& current, CheckReport& report) {
    const JsonValue* schema = baseline.get("schema");
    if (!schema || schema->string != results_schema)
        return make_error(
            "baseline for scenario {} has schema '{}', this tracesim writes '{}': regenerate it "
            "(tracesim check --update {})",
            scenario.name, schema ? schema->string : "none", results_schema,
            scenario.file.string());
    const JsonValue* old_records = baseline.get("results");
    if (!old_records) return make_error("baseline for scenario {} has no results", scenario.name);
    std::map<std::string, const Record*> now;
    for (const Record& r : current.records)
        now[key_of(r)] = &r;
    report.scenarios.push_back(scenario.name);
    for (const JsonValue& old_record : old_records->array) {
        std::string key = key_of(old_record);
        auto found = now.find(key);
        if (found == now.end())
            return make_error("baseline for scenario {} has a record for '{}' that the scenario no "
                              "longer produces: "
                              "update the baseline deliberately (tracesim check --update)",
                              scenario.name, key);
        FlatRecord before = flatten(old_record), after = flatten(*found->second);
        ++report.records;
        // A functional check that fails now gates, whatever the baseline held.
        for (const auto& [id, value] : after)
            if (id.first == "checks" && value.text == "false")
                report.changes.push_back(Change{scenario.name, key, "checks", id.second,
                                                before.count(id) ? before.at(id).text : "(absent)",
                                                "false (functional check failed)", 0, 0, false,
                                                ChangeKind::regression});
        for (const auto& [id, old_value] : before) {
            ++report.values;
            auto it = after.find(id);
            std::string new_text = it == after.end() ? "(absent)" : it->second.text;
            if (id.first == "checks" && new_text == "false") continue; // reported above
            Change c{scenario.name, key, id.first, id.second, old_value.text, new_text};
            if (it != after.end() && old_value.number && it->second.number) {
                double a = *old_value.number, b = *it->second.number;
                if (a == b) continue;
                c.numeric = true;
                c.delta = b - a;
                c.relative = a != 0 ? (b - a) / a : 0;
                if (toleranced(id.second)) {
                    auto tol = scenario.tolerances.find(id.second);
                    Tolerance t = tol == scenario.tolerances.end() ? Tolerance{} : tol->second;
                    if (std::fabs(c.delta) <= t.absolute || std::fabs(c.relative) <= t.relative)
                        continue;
                }
                bool worse = higher_is_better(id.second) ? b < a : b > a;
                c.kind = worse ? ChangeKind::regression : ChangeKind::improvement;
            } else if (old_value.text == new_text &&
                       old_value.number.has_value() ==
                           (it != after.end() && it->second.number.has_value())) {
                continue; // the same value of the same kind ("39" is not 39)
            }
            report.changes.push_back(std::move(c));
        }
        for (const auto& [id, value] : after)
            if (!before.count(id)) {
                report.changes.push_back(
                    Change{scenario.name, key, id.first, id.second, "(absent)", value.text});
            }
        now.erase(found);
    }
    for (const auto& [key, record] : now)
        report.changes.push_back(
            Change{scenario.name, key, "record", "new", "(absent)", "present"});
    return {};
}

} // namespace tracesim
