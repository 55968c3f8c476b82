// Layer 5: every table format from one fixed result set, compared with golden files in
// tests/golden/. After a deliberate change: TRACESIM_UPDATE_GOLDEN=1 build/tests/tracesim_tests
// -tc="*golden*" rewrites them; review the diff like code.
#include "report/render.h"
#include "report/text_metrics.h"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace tracesim;

namespace {

Results fixed_results() {
    auto record = [](Arch arch, std::string path, std::string kernel, std::string regs, Metrics m,
                     int64_t traps) {
        Record r;
        r.arch = arch;
        r.path = std::move(path);
        r.kernel = std::move(kernel);
        r.handler = "read-all";
        r.regs_struct = std::move(regs);
        r.calls = 1;
        r.per_call = m;
        r.traps = traps;
        r.checks = {true, true, true, true, std::nullopt, {}};
        return r;
    };
    Results results;
    results.records.push_back(
        record(Arch::x86_64, "ftrace", "6.14", "ftrace_regs", {39, 17, 18, 136, 144, 4, 176}, 0));
    results.records.push_back(
        record(Arch::x86_64, "ftrace-regs", "6.14", "pt_regs", {65, 27, 30, 216, 240, 5, 184}, 0));
    results.records.push_back(
        record(Arch::x86_64, "kprobe", "6.14", "pt_regs", {286, 132, 93, 1000, 744, 10, 264}, 2));
    results.records.push_back(
        record(Arch::arm64, "ftrace", "6.2", "ftrace_regs", {40, 16, 20, 128, 160, 4, 112}, 0));
    results.records.push_back(
        record(Arch::arm64, "ftrace-regs", "6.1", "pt_regs", {49, 16, 40, 128, 320, 7, 320}, 0));
    Record unsupported;
    unsupported.arch = Arch::arm64;
    unsupported.path = "kprobe";
    unsupported.kernel = "6.14";
    unsupported.handler = "read-all";
    unsupported.supported = false;
    unsupported.reason = "a reason with 50% of LaTeX's _specials_ & \"quotes\", for escaping";
    results.records.push_back(unsupported);
    return results;
}

RenderOptions fixed_options() {
    return RenderOptions{ReportSpec{"Entry: ftrace_regs vs pt_regs",
                                    {"instructions", "bytes_stored", "traps"},
                                    "ftrace",
                                    "instructions"},
                         false};
}

void check_golden(Format format, const std::string& file, const Results& results = fixed_results(),
                  const RenderOptions& options = fixed_options()) {
    std::string actual = render(results, format, options);
    std::filesystem::path path =
        std::filesystem::path(TRACESIM_SOURCE_DIR) / "tests" / "golden" / file;
    if (std::getenv("TRACESIM_UPDATE_GOLDEN")) {
        // Update mode still asserts: the file must be written and read back as rendered.
        {
            std::ofstream out(path, std::ios::binary);
            out << actual;
            REQUIRE_MESSAGE(out.good(), "cannot write golden file ", path.string());
        }
        MESSAGE("updated golden ", file);
    }
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "missing golden file ", path.string());
    std::stringstream expected;
    expected << in.rdbuf();
    CHECK_MESSAGE(actual == expected.str(), "golden ", file, " differs; actual:\n", actual);
}

} // namespace

TEST_CASE("golden text table") {
    check_golden(Format::text, "report.txt");
}
TEST_CASE("golden Markdown table") {
    check_golden(Format::markdown, "report.md");
}
TEST_CASE("golden CSV") {
    check_golden(Format::csv, "report.csv");
}
TEST_CASE("golden LaTeX table") {
    check_golden(Format::latex, "report.tex");
}
TEST_CASE("golden SVG chart") {
    check_golden(Format::svg, "report.svg");
}

TEST_CASE("LaTeX escapes its specials and CSV quotes what needs quoting") {
    std::string tex = render(fixed_results(), Format::latex, fixed_options());
    CHECK(tex.find("50\\% of LaTeX's \\_specials\\_ \\& \"quotes\"") != std::string::npos);
    CHECK(tex.find("\\toprule") != std::string::npos);
    std::string csv = render(fixed_results(), Format::csv, fixed_options());
    CHECK(csv.find("\"a reason with 50% of LaTeX's _specials_ & \"\"quotes\"\", for escaping\"") !=
          std::string::npos);
    CHECK(csv.find("x86_64,ftrace-regs,6.14,read-all,,pt_regs,true,65,26,1.667,") !=
          std::string::npos);
}

TEST_CASE("the SVG chart renders to a non-empty PNG") {
    auto dir = std::filesystem::temp_directory_path();
    auto svg = dir / "tracesim-chart.svg", png = dir / "tracesim-chart.png";
    std::ofstream(svg) << render(fixed_results(), Format::svg, fixed_options());
    std::filesystem::remove(png);
    int status = std::system(("rsvg-convert -o " + png.string() + " " + svg.string()).c_str());
    REQUIRE_MESSAGE(status == 0, "rsvg-convert failed (is librsvg2-bin installed?)");
    REQUIRE(std::filesystem::exists(png));
    CHECK(std::filesystem::file_size(png) > 5000); // bars, labels and legend, not a blank page
}

namespace {

// A traced call with phases, and its untraced call (caller and body only), as the runner leaves
// them: the phase split is traced minus untraced, phase by phase.
Results phased_results() {
    Results results;
    Record r;
    r.arch = Arch::x86_64;
    r.path = "fgraph";
    r.kernel = "6.14";
    r.handler = "read-all";
    r.checks = {true, true, true, true, std::nullopt, {}};
    auto phase = [](Phase p, int64_t instructions) { return PhaseMetrics{p, {instructions}}; };
    r.phases = {phase(Phase::caller, 3),    phase(Phase::site, 1),    phase(Phase::save, 20),
                phase(Phase::dispatch, 30), phase(Phase::hijack, 12), phase(Phase::body, 2)};
    r.untraced_phases = {phase(Phase::caller, 3), phase(Phase::site, 1), phase(Phase::body, 6)};
    r.per_call.instructions = 3 + 1 + 20 + 30 + 12 + 2 - (3 + 1 + 6);
    results.records.push_back(r);
    Record unsplit = r; // a record with no untraced phases: its phases do not sum to per_call
    unsplit.arch = Arch::arm64;
    unsplit.untraced_phases.clear();
    results.records.push_back(unsplit);
    return results;
}

ReportSpec stacked_spec() {
    ReportSpec spec{"Stacked", {"instructions"}, "", "instructions"};
    spec.chart_stack = ChartStack::phase;
    return spec;
}

} // namespace

TEST_CASE("a stacked chart splits each bar by phase: traced minus untraced, summing to per call") {
    ReportTable t = build_report(phased_results(), stacked_spec());
    REQUIRE(t.rows.size() == 2);
    using P = std::pair<Phase, int64_t>;
    // caller and site cancel; the body ran 4 fewer instructions traced (a skipped part shows < 0)
    CHECK(t.rows[0].phase_values ==
          std::vector<P>{
              {Phase::save, 20}, {Phase::dispatch, 30}, {Phase::hijack, 12}, {Phase::body, -4}});
    CHECK(t.rows[0].chart_value == 58);
    CHECK(t.rows[1].phase_values.empty()); // not split, rather than split wrongly
    std::string svg = render(phased_results(), Format::svg, RenderOptions{stacked_spec(), false});
    CHECK(svg.find("x86_64 fgraph: dispatch 30 insns") != std::string::npos); // segment tooltip
    CHECK(svg.find(">not split by phase</text>") != std::string::npos);       // legend says so
    CHECK(svg.find("below 0: what the probe skipped") != std::string::npos);
}

TEST_CASE("golden stacked SVG chart and pgfplots") {
    check_golden(Format::svg, "stacked.svg", phased_results(),
                 RenderOptions{stacked_spec(), false});
    check_golden(Format::pgfplots, "stacked.tex", phased_results(),
                 RenderOptions{stacked_spec(), false});
}

TEST_CASE("chart text is measured and wrapped as DejaVu Sans lays it out") {
    CHECK(text_width("mmmm", 10) > text_width("iiii", 10) * 3);
    CHECK(text_width("abc", 20, true) > text_width("abc", 20));
    auto lines = wrap_text("trig-kretprobe-multi", 12, 70, false, "-");
    CHECK(lines == std::vector<std::string>{"trig-", "kretprobe-", "multi"});
    auto words = wrap_text("one two three four", 12, 60);
    CHECK(words.size() >= 2);
    for (const std::string& l : words)
        CHECK((text_width(l, 12) <= 60 || l.find(' ') == std::string::npos));
}

TEST_CASE("pgfplots: one stacked axis per series, the phases' colours defined once") {
    std::string tex = render(fixed_results(), Format::pgfplots, fixed_options());
    CHECK(tex.find("\\begin{axis}[ybar,") != std::string::npos); // grouped: one axis
    CHECK(tex.find("% n/s: arm64 kprobe: a reason") != std::string::npos);
    std::string stacked =
        render(phased_results(), Format::pgfplots, RenderOptions{stacked_spec(), false});
    CHECK(stacked.find("\\definecolor{tracesimdispatch}{HTML}{F28E2B}") != std::string::npos);
    size_t axes = 0;
    for (size_t at = 0; (at = stacked.find("ybar stacked", at)) != std::string::npos; ++at)
        ++axes;
    CHECK(axes == 2); // x86_64 and arm64
}
