// Layer 9: the tracesim binary as a user runs it: exit codes, messages, no partial output.
#include "command.h"

#include <array>
#include <cstdio>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {

using tracesim::test::Outcome;
using tracesim::test::run_tracesim;

// Output with runs of spaces collapsed, so checks do not depend on column widths.
std::string squeezed(const std::string& text) {
    std::string out;
    for (char c : text)
        if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
    return out;
}

} // namespace

TEST_CASE("tracesim list paths names every path and era") {
    Outcome o = run_tracesim("list paths");
    CHECK(o.exit_code == 0);
    CHECK(squeezed(o.output).find("ftrace-regs arm64 6.1 pt_regs") != std::string::npos);
    Outcome json = run_tracesim("list paths --format json");
    CHECK(json.exit_code == 0);
    CHECK(json.output.find("\"schema\": \"tracesim-paths/1\"") != std::string::npos);
}

TEST_CASE("tracesim run prints the comparison table") {
    Outcome o = run_tracesim("run --arch x86_64 --path ftrace --path ftrace-regs");
    CHECK(o.exit_code == 0);
    CHECK(squeezed(o.output).find("x86_64 ftrace-regs 6.14 pt_regs") != std::string::npos);
}

TEST_CASE("usage errors exit 2 with one clear message") {
    Outcome path = run_tracesim("run --arch x86_64 --path kprobe-magic");
    CHECK(path.exit_code == 2);
    CHECK(path.output.rfind(
              "tracesim: unknown path 'kprobe-magic' (known: none, ftrace, ftrace-regs", 0) == 0);
    CHECK(path.output.find('\n') == path.output.size() - 1); // one line
    CHECK(run_tracesim("run --arch sparc").exit_code == 2);
    CHECK(run_tracesim("run --calls 0").exit_code == 2);
    CHECK(run_tracesim("frobnicate").exit_code == 2);
}

TEST_CASE("-o writes the whole file, and an error leaves none") {
    auto dir = std::filesystem::temp_directory_path() / "tracesim-cli-test";
    std::filesystem::create_directories(dir);
    auto good = dir / "out.json";
    std::filesystem::remove(good);
    Outcome ok = run_tracesim("run --arch arm64 --path ftrace --format json -o " + good.string());
    CHECK(ok.exit_code == 0);
    std::ifstream in(good);
    std::string first;
    std::getline(in, first);
    CHECK(first == "{");
    auto bad = dir / "bad.json";
    std::filesystem::remove(bad);
    Outcome fail = run_tracesim("run --arch arm64 --path nope --format json -o " + bad.string());
    CHECK(fail.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(bad));
    CHECK(std::filesystem::is_empty(dir) == false);
    std::filesystem::remove_all(dir);
}

TEST_CASE("compare: a patched trampoline and two kernel eras, phase by phase") {
    std::string shipped = std::string(TRACESIM_SOURCE_DIR) + "/kernels/arm64/paths/ftrace_caller.S";
    auto patched = std::filesystem::temp_directory_path() / "tracesim-cli-patched.S";
    {
        std::ifstream in(shipped);
        std::stringstream text;
        text << in.rdbuf();
        std::string s = text.str();
        std::string store = "    str     x8, [sp, #FREGS_X8]\n";
        size_t at = s.find(store);
        REQUIRE(at != std::string::npos);
        s.insert(at + store.size(),
                 "    str     xzr, [sp, #FREGS_DIRECT_TRAMP]\n"); // 6.4's direct_tramp store
        std::ofstream(patched) << s;
    }
    Outcome same = run_tracesim("compare --arch arm64 --path ftrace --asm-b " + shipped);
    CHECK(same.exit_code == 0);
    CHECK(squeezed(same.output).find("per call 40 40 16 16 20 20 160 160") != std::string::npos);
    Outcome patch = run_tracesim("compare --arch arm64 --path ftrace --asm-b " + patched.string());
    CHECK(patch.exit_code == 0);
    CHECK(squeezed(patch.output).find("save 16 17 +1 0 0 17 18 +1 136 144 +8") !=
          std::string::npos);
    Outcome eras =
        run_tracesim("compare --arch x86_64 --path fgraph --kernel-a 6.1 --kernel-b 6.14");
    CHECK(eras.exit_code == 0);
    CHECK(eras.output.find("A = kernel 6.1, B = kernel 6.14") != std::string::npos);
    CHECK(run_tracesim("compare --arch arm64 --path ftrace").exit_code == 2);
    std::filesystem::remove(patched);
}
