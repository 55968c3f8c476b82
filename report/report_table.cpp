#include "report/report_table.h"

#include "sim/catalogue.h"

#include <array>
#include <cmath>
#include <set>
#include <tuple>
#include <type_traits>

namespace tracesim {

namespace {

int64_t metric_of(const Metrics& m, std::string_view metric) {
    int64_t out = 0;
    for_each_metric(m, [&](std::string_view name, int64_t value) {
        if (name == metric) out = value;
    });
    return out;
}

int64_t metric_of(const CycleMetrics& m, std::string_view metric) {
    int64_t out = 0;
    for_each_cycle_metric(m, [&](std::string_view name, auto value) {
        if constexpr (std::is_integral_v<decltype(value)>)
            if (name == metric) out = value;
    });
    return out;
}

bool is_cycle_metric(std::string_view metric) {
    const MetricInfo* m = find_metric(metric);
    return m && m->source == MetricSource::cycles;
}

int64_t metric_value(const Record& r, std::string_view metric, double clock_ghz) {
    if (metric == "traps") return r.traps;
    if (metric == "hits_per_s_warm") // a whole traced call per hit, as the bench's loop runs it
        return r.cycles_traced && r.cycles_traced->cycles_warm > 0
                   ? std::llround(clock_ghz * 1e9 /
                                  static_cast<double>(r.cycles_traced->cycles_warm))
                   : 0;
    if (is_cycle_metric(metric))
        return r.cycles_per_call ? metric_of(*r.cycles_per_call, metric) : 0;
    return metric_of(r.per_call, metric);
}

// `metric` per call, phase by phase: each phase of the traced call minus the same phase of the
// untraced one. Every instruction (and, for cycles, every cycle) is in exactly one phase, so the
// values sum to the per-call value. Phases whose share is 0 are left out.
std::vector<std::pair<Phase, int64_t>> phase_values(const Record& r, std::string_view metric) {
    std::array<int64_t, phase_count> by_phase{};
    auto slot = [](Phase p) { return static_cast<size_t>(p); };
    if (is_cycle_metric(metric)) {
        for (const PhaseCycles& p : r.phase_cycles) {
            by_phase[slot(p.phase)] += metric_of(p.metrics, metric);
        }
        for (const PhaseCycles& p : r.untraced_phase_cycles)
            by_phase[slot(p.phase)] -= metric_of(p.metrics, metric);
    } else {
        for (const PhaseMetrics& p : r.phases) {
            by_phase[slot(p.phase)] += metric_of(p.metrics, metric);
        }
        for (const PhaseMetrics& p : r.untraced_phases)
            by_phase[slot(p.phase)] -= metric_of(p.metrics, metric);
    }
    std::vector<std::pair<Phase, int64_t>> out;
    for (Phase p : all_phases)
        if (by_phase[slot(p)] != 0) out.emplace_back(p, by_phase[slot(p)]);
    return out;
}

} // namespace

std::string factor_text(double factor) {
    if (factor >= 100) return fmt::format("x{:.0f}", factor);
    if (factor >= 10) return fmt::format("x{:.1f}", factor);
    return fmt::format("x{:.2f}", factor);
}

namespace {

// Is `r` the record `path` ("fgraph@6.14", or "fgraph": its newest era present) names on r's arch?
bool is_path(const Record& r, const std::string& path, const Results& results) {
    if (path.empty() || !r.supported) return false;
    size_t at = path.find('@');
    std::string name = path.substr(0, at);
    if (r.path != name) return false;
    if (at != std::string::npos) return r.kernel == path.substr(at + 1);
    for (const Record& other : results.records)
        if (other.supported && other.path == name && other.arch == r.arch &&
            kernel_older(r.kernel, other.kernel))
            return false;
    return true;
}

// The record `path` names with r's arch, handler and core.
const Record* peer_of(const Record& r, const std::string& path, const Results& results) {
    for (const Record& other : results.records)
        if (is_path(other, path, results) && other.arch == r.arch && other.handler == r.handler &&
            other.core == r.core)
            return &other;
    return nullptr;
}

// Does `results` hold a record (supported or not) of `path` ("name" or "name@era") on `arch`?
bool has_path(const Results& results, Arch arch, const std::string& path) {
    size_t at = path.find('@');
    std::string name = path.substr(0, at);
    for (const Record& r : results.records)
        if (r.arch == arch && r.path == name &&
            (at == std::string::npos || r.kernel == path.substr(at + 1)))
            return true;
    return false;
}

std::vector<RatioRow> build_ratios(const Results& results, const ReportSpec& spec) {
    std::vector<RatioRow> out;
    const std::string& metric = spec.chart_metric;
    std::set<std::tuple<Arch, std::string, std::string>> seen;
    for (const Record& r : results.records) {
        if (!r.supported || !seen.insert({r.arch, r.core, r.handler}).second) continue;
        for (const auto& [num, den] : spec.ratios) {
            const Record* a = peer_of(r, num, results);
            const Record* b = peer_of(r, den, results);
            if (!has_path(results, r.arch, num) || !has_path(results, r.arch, den))
                continue; // not on this arch
            RatioRow row{r.arch, r.core, r.handler, num, den, std::nullopt};
            if (a && b && metric_value(*b, metric, spec.clock_ghz) != 0)
                row.value = static_cast<double>(metric_value(*a, metric, spec.clock_ghz)) /
                            static_cast<double>(metric_value(*b, metric, spec.clock_ghz));
            out.push_back(row);
        }
    }
    return out;
}

} // namespace

ReportTable build_report(const Results& results, const ReportSpec& spec) {
    ReportTable table;
    table.spec = spec;
    if (table.spec.chart_metric.empty() && !spec.metrics.empty())
        table.spec.chart_metric = spec.metrics.front();
    for (const std::string& m : spec.metrics)
        table.units.emplace_back(unit_of(m));
    std::set<std::pair<Arch, std::string>> cores;
    std::set<std::string> handlers;
    for (const Record& r : results.records) {
        ReportRow row{r.arch,        r.path,    r.kernel,
                      r.core,        r.handler, r.regs_struct,
                      r.supported,   r.reason,  is_path(r, spec.reference, results),
                      r.checks.ok(), {}};
        if (r.supported) { // an unsupported row has no handler or core to tell apart
            cores.insert({r.arch, r.core});
            handlers.insert(r.handler);
        }
        if (r.supported) {
            // The reference: same arch, handler and core, the reference path (its newest era
            // listed).
            const Record* reference = peer_of(r, spec.reference, results);
            for (const std::string& m : spec.metrics) {
                ReportValue v{metric_value(r, m, spec.clock_ghz), std::nullopt, std::nullopt};
                if (reference && reference != &r) {
                    int64_t base = metric_value(*reference, m, spec.clock_ghz);
                    v.delta = v.value - base;
                    if (base != 0)
                        v.factor = static_cast<double>(v.value) / static_cast<double>(base);
                }
                row.values.push_back(v);
            }
            row.chart_value = metric_value(r, table.spec.chart_metric, spec.clock_ghz);
            if (spec.chart_stack == ChartStack::phase) {
                row.phase_values = phase_values(r, table.spec.chart_metric);
                int64_t sum = 0;
                for (const auto& [phase, value] : row.phase_values)
                    sum += value;
                if (sum != row.chart_value) row.phase_values.clear(); // no untraced phases
            }
        }
        table.rows.push_back(std::move(row));
    }
    // A core column only when an arch is shown on several cores (each arch has its own anyway).
    std::set<Arch> arches;
    for (const auto& [arch, core] : cores)
        arches.insert(arch);
    table.show_core = cores.size() > arches.size();
    table.show_handler = handlers.size() > 1;
    table.ratios = build_ratios(results, table.spec);
    return table;
}

} // namespace tracesim
