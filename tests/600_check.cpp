// Layer 6: the regression gate, as CI runs it: `tracesim check` against committed baselines.
// Each test works on a copy of the data tree (TRACESIM_HOME), so it can edit a trampoline or a
// baseline without touching the repository.
#include "command.h"

#include <array>
#include <cstdio>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

using tracesim::test::Outcome;

struct Home {
    fs::path root;
    explicit Home(const std::string& name)
        : root(fs::temp_directory_path() / ("tracesim-check-" + name)) {
        fs::remove_all(root);
        fs::create_directories(root / "results" / "baseline");
        fs::path source = TRACESIM_SOURCE_DIR;
        for (const char* dir : {"kernels", "isa", "scenarios"})
            fs::copy(source / dir, root / dir, fs::copy_options::recursive);
        fs::copy(source / "results" / "baseline" / "default.json",
                 root / "results" / "baseline" / "default.json");
    }
    ~Home() { fs::remove_all(root); }

    Outcome tracesim(const std::string& args) const {
        return tracesim::test::run_tracesim(args, "TRACESIM_HOME=" + root.string());
    }

    void edit(const std::string& file, const std::string& from, const std::string& to) const {
        fs::path path = root / file;
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        std::string content = text.str();
        size_t at = content.find(from);
        REQUIRE_MESSAGE(at != std::string::npos, "no '", from, "' in ", file);
        content.replace(at, from.size(), to);
        std::ofstream(path) << content;
    }

    std::string check_default() const { return (root / "scenarios" / "default.toml").string(); }
};

} // namespace

TEST_CASE("an unchanged tree passes the gate") {
    Home home("unchanged");
    Outcome o = home.tracesim("check " + home.check_default());
    CHECK(o.exit_code == 0);
    CHECK(o.output.find("0 regression(s)") != std::string::npos);
}

TEST_CASE("one extra store in ftrace_caller's save phase is caught, named, and exits 3") {
    Home home("extra-store");
    home.edit("kernels/x86_64/macros/mcount_regs.inc", "    movq    %r9, PT_R9(%rsp)\n",
              "    movq    %r9, PT_R9(%rsp)\n    movq    %r10, PT_R10(%rsp)\n");
    Outcome o = home.tracesim("check " + home.check_default());
    CHECK(o.exit_code == 3);
    std::string squeezed = std::regex_replace(o.output, std::regex(" +"), " ");
    CHECK(squeezed.find(
              "default x86_64 ftrace 6.14 read-all znver3 save stores 11 12 +1 +9.1% regression") !=
          std::string::npos);
    CHECK(squeezed.find("per call instructions 42 43 +1") != std::string::npos);
    Outcome md = home.tracesim("check --format md " + home.check_default());
    CHECK(md.exit_code == 3);
    CHECK(md.output.find("| default | x86_64 ftrace 6.14 read-all znver3 | save | stores |") !=
          std::string::npos);
    // Accepting the change deliberately: --update, then the gate passes again.
    CHECK(home.tracesim("check --update " + home.check_default()).exit_code == 0);
    CHECK(home.tracesim("check " + home.check_default()).exit_code == 0);
}

TEST_CASE("cycles move within the scenario's tolerance pass, beyond it fail") {
    Home home("cycles");
    std::ifstream in(home.root / "results" / "baseline" / "default.json");
    std::stringstream text;
    text << in.rdbuf();
    std::smatch m;
    std::string baseline = text.str();
    REQUIRE(std::regex_search(baseline, m, std::regex("\"cycles_warm\": ([0-9]+)")));
    int64_t value = std::stoll(m[1]);
    // default.toml: cycles_warm relative 5%, absolute 2
    home.edit("results/baseline/default.json", m[0].str(),
              "\"cycles_warm\": " + std::to_string(value + 1));
    CHECK(home.tracesim("check " + home.check_default()).exit_code == 0);
    home.edit("results/baseline/default.json", "\"cycles_warm\": " + std::to_string(value + 1),
              "\"cycles_warm\": " + std::to_string(value / 2));
    Outcome o = home.tracesim("check " + home.check_default());
    CHECK(o.exit_code == 3);
    CHECK(o.output.find("cycles_warm") != std::string::npos);
    CHECK(o.output.find("regression") != std::string::npos);
}

TEST_CASE("an improvement is reported; --strict makes it fail") {
    Home home("improvement");
    home.edit("results/baseline/default.json", "\"instructions\": 39,", "\"instructions\": 45,");
    Outcome o = home.tracesim("check " + home.check_default());
    CHECK(o.exit_code == 0);
    CHECK(o.output.find("improvement") != std::string::npos);
    CHECK(home.tracesim("check --strict " + home.check_default()).exit_code == 3);
}

TEST_CASE("a missing, corrupt or foreign baseline is a tool error with a message") {
    Home home("bad-baseline");
    fs::path baseline = home.root / "results" / "baseline" / "default.json";
    std::ofstream(baseline) << "{\"schema\": \"tracesim-results/1\", \"results\": [";
    Outcome corrupt = home.tracesim("check " + home.check_default());
    CHECK(corrupt.exit_code == 1);
    CHECK(corrupt.output.find("default.json:1:") != std::string::npos);
    std::ofstream(baseline) << "{\"schema\": \"tracesim-results/0\", \"results\": []}";
    Outcome foreign = home.tracesim("check " + home.check_default());
    CHECK(foreign.exit_code == 1);
    CHECK(foreign.output.find("schema 'tracesim-results/0'") != std::string::npos);
    fs::remove(baseline);
    Outcome missing = home.tracesim("check " + home.check_default());
    CHECK(missing.exit_code == 1);
    CHECK(missing.output.find("no baseline") != std::string::npos);
}
