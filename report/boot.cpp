#include "report/boot.h"

#include "report/phase_diff.h"
#include "report/table.h"

#include <fmt/format.h>
#include <map>

namespace tracesim {

namespace {

std::string what_the_boot_says(const Record& r) {
    if (!r.boot) return "";
    const BootInfo& b = *r.boot;
    std::string text = fmt::format("calls: {} kept after the cold one", b.calls_kept);
    if (b.calls_interrupted)
        text += fmt::format(" ({} with {} interrupt{} cut out)", b.calls_interrupted,
                            b.interrupts_cut, b.interrupts_cut == 1 ? "" : "s");
    text += fmt::format("; cold call {} instructions", b.cold_instructions);
    if (b.hits && r.handler == "the bench's program")
        text += fmt::format("; the program counted {} hits", *b.hits);
    else if (b.hits && r.handler != "none")
        text += fmt::format("; the probe wrote {} events", *b.hits);
    if (!b.run_time_regions.empty())
        text += fmt::format("; run-time code: {}", fmt::join(b.run_time_regions, ", "));
    text += "\n";
    if (!b.functions.empty()) {
        std::vector<std::string> top;
        for (size_t i = 0; i < b.functions.size() && i < 8; ++i)
            top.push_back(fmt::format("{} {} ({})", b.functions[i].symbol,
                                      b.functions[i].instructions, b.functions[i].phase));
        text += fmt::format("most instructions: {}{}\n", fmt::join(top, ", "),
                            b.functions.size() > 8
                                ? fmt::format(", and {} more functions", b.functions.size() - 8)
                                : "");
    }
    if (!b.unmapped.empty()) {
        std::vector<std::string> parts;
        for (const auto& [symbol, count] : b.unmapped)
            parts.push_back(fmt::format("{} ({})", symbol, count));
        text += fmt::format("unmapped (no rule in boot/{}.toml): {}\n", r.arch, fmt::join(parts, ", "));
    }
    return text;
}

std::string cycles_line(const Record& a, const Record& b, const std::string& a_label,
                        const std::string& b_label) {
    auto one = [](const Record& r) {
        return r.cycles_per_call ? fmt::format("{} / {}", r.cycles_per_call->cycles_warm,
                                               r.cycles_per_call->cycles_cold)
                                 : std::string("not modeled");
    };
    std::string text = fmt::format("cycles per call ({}, warm / cold): {} {}, {} {}\n",
                                   b.core.empty() ? a.core : b.core, a_label, one(a), b_label,
                                   one(b));
    // Unpriced instructions still occupy the model's placeholder cost: say which, never hide.
    for (const auto* r : {&a, &b}) {
        std::map<std::string, int64_t> by_text;
        for (const UnpricedInstruction& u : r->unpriced)
            by_text[fmt::format("{} ({})", u.text, u.reason)] += u.count;
        if (by_text.empty()) continue;
        std::vector<std::string> parts;
        for (const auto& [what, count] : by_text)
            parts.push_back(fmt::format("{} x{}", what, count));
        text += fmt::format("  {} unpriced: {}\n", r == &a ? a_label : b_label,
                            fmt::join(parts, ", "));
    }
    return text;
}

std::string row_text(const BootRow& row, bool markdown) {
    const Record& booted = row.booted;
    std::string title;
    if (!row.other)
        title = fmt::format("{} {}: booted {}", booted.arch, booted.path, row.booted_label);
    else if (row.other->source == "boot")
        title = fmt::format("{} {}: {} vs {}", booted.arch, booted.path, row.booted_label,
                            row.other_label);
    else
        title = fmt::format("{} {}: model {} ({}) vs booted {}", booted.arch, booted.path,
                            row.other->path, row.other->kernel, row.booted_label);
    std::string text = (markdown ? "## " : "") + title + "\n\n";
    if (!booted.supported)
        return text + fmt::format("not run on {}: {}\n\n", row.booted_label, booted.reason);
    text += what_the_boot_says(booted);
    if (row.other && !row.other->supported) {
        text += fmt::format("{}: not run: {}\n\n", row.other_label, row.other->reason);
        return text;
    }
    if (row.other && row.other->source == "boot") {
        // A/B: kernel A on the left.
        text += what_the_boot_says(*row.other);
    }
    text += "\n";
    if (row.other) {
        const bool ab = row.other->source == "boot";
        const Record& left = ab ? booted : *row.other;
        const Record& right = ab ? *row.other : booted;
        std::string left_label = ab ? "A" : "model", right_label = ab ? "B" : "booted";
        TextTable table = phase_diff_table(left, right, left_label, right_label);
        text += (markdown ? table.markdown() : table.str()) + "\n";
        text += cycles_line(left, right, left_label, right_label);
    } else {
        TextTable table = phase_diff_table(booted, booted, "booted", "booted");
        text += (markdown ? table.markdown() : table.str()) + "\n";
    }
    if (!booted.checks.ok())
        text += fmt::format("check failed: {}\n", fmt::join(booted.checks.problems, "; "));
    return text + "\n";
}

} // namespace

std::string render_boot(const BootReport& report, Format format) {
    const bool markdown = format == Format::markdown;
    std::string text;
    for (const BootedKernelSummary& k : report.kernels) {
        text += fmt::format("{}{} booted: {}{}, release {}, QEMU {} (TCG), {:.1f} s{}\n",
                            markdown ? "- " : "", k.arch, k.label,
                            k.function.empty() ? "" : " probing " + k.function, k.release,
                            k.qemu_version, k.boot_seconds,
                            k.symbols_cached ? " (symbols from the cache)" : "");
        text += fmt::format("{}  kernel command line: {}\n", markdown ? "" : "", k.cmdline);
    }
    text += "\n";
    for (const BootRow& row : report.rows)
        text += row_text(row, markdown);
    text += "Booted counts are one steady call (the median of the kept calls) minus the booted "
            "`none` call; cycles are the timing model's on that call's trace (docs/boot.md).\n";
    return text;
}

std::string render_boot_scenario(const BootScenarioReport& report, Format format) {
    const bool markdown = format == Format::markdown;
    auto table = [&](const ReportTable& t) {
        return markdown ? render_report_markdown(t) : render_report_text(t);
    };
    std::string text = (markdown ? "# " : "") + report.title + "\n\n";
    for (const std::string& note : report.notes)
        text += (markdown ? "- " : "") + note + "\n";
    text += "\n" + table(report.booted) + "\n" + table(report.model) + "\n";
    // The scenario's ratios as each source gives them, side by side.
    std::map<std::tuple<Arch, std::string, std::string, std::string>, std::optional<double>> model;
    for (const RatioRow& r : report.model.ratios)
        model[{r.arch, r.core, r.numerator, r.denominator}] = r.value;
    TextTable ratios({"arch", "core", "ratio", "booted", "model"}, {false, false, false, true, true});
    auto cell = [](const std::optional<double>& v) {
        return v ? fmt::format("{:.2f}", *v) : std::string("-");
    };
    for (const RatioRow& r : report.booted.ratios) {
        auto m = model.find({r.arch, r.core, r.numerator, r.denominator});
        ratios.add_row({fmt::format("{}", r.arch), r.core, r.numerator + " / " + r.denominator,
                        cell(r.value), m == model.end() ? "-" : cell(m->second)});
    }
    text += fmt::format("{}The scenario's ratios ({} per call), booted and modeled\n\n",
                        markdown ? "## " : "", label_of(report.booted.spec.chart_metric));
    text += (markdown ? ratios.markdown() : ratios.str()) + "\n";
    text += fmt::format("{}Phase by phase\n\n", markdown ? "## " : "");
    return text + render_boot(report.phases, format);
}

} // namespace tracesim
