#include "report/calibration.h"

#include "base/json.h"
#include "report/table.h"

#include <fmt/format.h>

namespace tracesim {

namespace {

std::string number(double v, int decimals = 1) {
    return fmt::format("{:.{}f}", v, decimals);
}

std::string header(const CalibrationReport& r) {
    std::string out =
        fmt::format("Calibration of the {} profile on this machine, {}\n", r.core, r.date);
    out += fmt::format("CPU: {}\n", r.cpu);
    if (r.tsc_per_cycle > 0)
        out += fmt::format("TSC {:.0f} MHz; {:.3f} TSC ticks per core cycle (dependent add chain; "
                           "imul chain: {:.3f}), "
                           "so the core ran at ~{:.0f} MHz\n",
                           r.tsc_mhz, r.tsc_per_cycle, r.tsc_per_cycle_imul,
                           r.tsc_mhz / r.tsc_per_cycle);
    out += fmt::format("{} timed calls per variant in {} alternating traced/untraced rounds; per "
                       "call = median over "
                       "rounds of (traced - untraced) round medians [p25-p75]\n",
                       r.iterations, r.rounds);
    return out;
}

std::string table_of(const CalibrationReport& r, bool markdown) {
    TextTable table({"path", "kernel", "measured [TSC]", "measured [cycles]", "model warm", "error",
                     "x ftrace measured", "x ftrace model", "ratio error", "functional"},
                    {false, false, true, true, true, true, true, true, true, false});
    for (const PathCalibration& p : r.paths) {
        if (!p.calibratable) {
            table.add_note_row({p.path, p.kernel}, "not calibratable: " + p.reason);
            continue;
        }
        std::vector<std::string> row = {p.path, p.kernel};
        if (!p.functional_ok) {
            table.add_note_row({p.path, p.kernel},
                               "native result differs: " +
                                   fmt::format("{}", fmt::join(p.problems, "; ")));
            continue;
        }
        const Spread& t = p.per_call_ticks;
        row.push_back(p.per_call_cycles ? fmt::format("{} [{}-{}]", number(t.median), number(t.p25),
                                                      number(t.p75))
                                        : "-");
        row.push_back(p.per_call_cycles ? number(*p.per_call_cycles) : "-");
        row.push_back(std::to_string(p.model_warm));
        row.push_back(p.error_percent ? fmt::format("{:+.0f}%", *p.error_percent) : "-");
        const std::optional<CalibrationRatio>& ratio = p.ratio_to_ftrace;
        row.push_back(ratio ? fmt::format("x{:.2f}", ratio->measured) : "-");
        row.push_back(ratio ? fmt::format("x{:.2f}", ratio->modeled) : "-");
        row.push_back(ratio ? fmt::format("{:+.0f}%", ratio->error_percent) : "-");
        row.push_back("ok");
        table.add_row(row);
    }
    std::string out = markdown ? table.markdown() : table.str();
    auto mae = r.mean_absolute_error();
    int measured = 0;
    for (const PathCalibration& p : r.paths)
        measured += p.error_percent.has_value();
    out += "\n";
    if (mae)
        out += fmt::format("mean absolute error: {:.0f}% over {} calibrated paths (model {} warm "
                           "cycles vs measured)\n",
                           *mae, measured, r.core);
    if (auto ratio_error = r.mean_absolute_ratio_error())
        out += fmt::format("mean absolute ratio error (x ftrace): {:.0f}% over {} paths\n",
                           *ratio_error, r.ratio_paths());
    for (const PathCalibration& p : r.paths)
        for (const std::string& note : p.notes)
            out += fmt::format("note: {} {}: {}\n", p.path, p.kernel, note);
    return out;
}

} // namespace

std::string render_calibration_json(const CalibrationReport& r) {
    JsonWriter w;
    w.begin_object();
    w.field("schema", "tracesim-calibration/1");
    w.field("date", r.date).field("cpu", r.cpu).field("core", r.core);
    w.field("tsc_mhz", r.tsc_mhz)
        .field("tsc_per_cycle", r.tsc_per_cycle)
        .field("tsc_per_cycle_imul", r.tsc_per_cycle_imul);
    w.field("iterations", int64_t(r.iterations)).field("rounds", int64_t(r.rounds));
    w.key("paths").begin_array();
    for (const PathCalibration& p : r.paths) {
        w.begin_object();
        w.field("path", p.path).field("kernel", p.kernel).field("calibratable", p.calibratable);
        if (!p.calibratable) w.field("reason", p.reason);
        w.key("notes").begin_array();
        for (const std::string& n : p.notes)
            w.value(n);
        w.end_array();
        if (p.calibratable) {
            w.field("functional_ok", p.functional_ok);
            w.key("problems").begin_array();
            for (const std::string& n : p.problems)
                w.value(n);
            w.end_array();
            w.field("emulated_result", int64_t(p.emulated_result))
                .field("native_result", int64_t(p.native_result));
            w.key("per_call_ticks").begin_object();
            w.field("median", p.per_call_ticks.median)
                .field("p25", p.per_call_ticks.p25)
                .field("p75", p.per_call_ticks.p75);
            w.end_object();
            w.field("traced_ticks", p.traced_ticks.median)
                .field("untraced_ticks", p.untraced_ticks.median);
            if (p.per_call_cycles) w.field("per_call_cycles", *p.per_call_cycles);
            if (p.error_percent) w.field("error_percent", *p.error_percent);
        }
        w.field("model_cycles_warm", p.model_warm).field("model_cycles_cold", p.model_cold);
        w.end_object();
    }
    w.end_array();
    if (auto mae = r.mean_absolute_error()) w.field("mean_absolute_error_percent", *mae);
    w.end_object();
    return w.str();
}

std::string render_calibration(const CalibrationReport& r, bool markdown) {
    return header(r) + "\n" + table_of(r, markdown);
}

} // namespace tracesim
