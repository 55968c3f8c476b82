// Layer 5: every table format from one fixed result set, compared with golden files in
// tests/golden/. After a deliberate change: TRACESIM_UPDATE_GOLDEN=1 build/tests/tracesim_tests
// -tc="*golden*" rewrites them; review the diff like code.
#include "sim/report/render.h"

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

void check_golden(Format format, const std::string& file) {
    std::string actual = render(fixed_results(), format, fixed_options());
    std::filesystem::path path =
        std::filesystem::path(TRACESIM_SOURCE_DIR) / "tests" / "golden" / file;
    if (std::getenv("TRACESIM_UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << actual;
        return;
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
