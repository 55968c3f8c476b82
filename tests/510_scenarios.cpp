// Layer 5: scenario files — every shipped one loads and expands; each class of bad input gets
// one message naming file:line and the valid choices.
#include "helpers.h"
#include "report/render.h"
#include "sim/batch.h"
#include "sim/metric_table.h"
#include "sim/scenario.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace tracesim;
using tracesim::test::catalogue;

namespace {

const std::vector<KnownCore> cores = {{"znver3", Arch::x86_64}, {"neoverse-n1", Arch::arm64}};

Expected<Scenario> load_text(const std::string& text) {
    // A file per call and process: ctest runs test cases in parallel processes.
    static int count = 0;
    auto file = std::filesystem::temp_directory_path() /
                fmt::format("tracesim-test-scenario-{}-{}.toml", getpid(), ++count);
    std::ofstream(file) << text;
    return load_scenario(file, catalogue(), cores);
}

std::string error_of(const std::string& text) {
    auto s = load_text(text);
    REQUIRE_FALSE(s);
    CHECK(s.error().exit_code == ExitCode::usage_error);
    return s.error().message;
}

} // namespace

TEST_CASE("every shipped scenario loads and expands to runs") {
    for (const char* name :
         {"default", "entry-probes", "return-probes", "fprobe-migration", "arm64-pstate"}) {
        CAPTURE(name);
        auto s = load_scenario(tracesim_home() / "scenarios" / (std::string(name) + ".toml"),
                               catalogue(), cores);
        REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
        CHECK_FALSE(s->requests.empty());
        CHECK_FALSE(s->report.title.empty());
    }
}

TEST_CASE("the matrix: arch, then path as listed, eras pinned with @") {
    auto s =
        load_text("paths = [\"ftrace-regs@6.1\", \"ftrace\"]\narches = [\"arm64\", \"x86_64\"]\n");
    REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
    REQUIRE(s->requests.size() == 3); // x86_64 has no 6.1 ftrace-regs model
    CHECK(s->requests[0].arch == Arch::arm64);
    CHECK(s->requests[0].path == "ftrace-regs");
    CHECK(s->requests[0].kernel == "6.1");
    CHECK(s->requests[1].path == "ftrace");
    CHECK(s->requests[2].arch == Arch::x86_64);
    CHECK(s->requests[2].path == "ftrace");
    CHECK(s->report.metrics ==
          std::vector<std::string>{"instructions", "stores", "bytes_stored"}); // the default
}

TEST_CASE("bad scenarios: one message with file:line and the valid choices") {
    CHECK(error_of("paths = [\"ftrace\"]\ncolour = \"red\"\n")
              .find(":2: unknown key 'colour' (known: title,") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace\", \"kprobe-magic\"]\n")
              .find(":1: unknown path 'kprobe-magic' (known: none, ftrace") != std::string::npos);
    CHECK(
        error_of("paths = [\"ftrace\"]\narches = [\"sparc\"]\n").find(":2: unknown arch 'sparc'") !=
        std::string::npos);
    CHECK(error_of("paths = [\"ftrace\"]\ncores = [\"pentium\"]\n")
              .find("unknown core 'pentium' (known: znver3, neoverse-n1)") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace\"]\ncalls = \"many\"\n")
              .find(":2: 'calls' must be a whole number") != std::string::npos);
    CHECK(error_of("paths = [\"optprobe\"]\narches = [\"arm64\"]\nmetrics = [\"speed\"]\n")
              .find("unknown metric 'speed'") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace@5.4\"]\n").find("has no model on") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace\"]\nreference = \"kprobe\"\n")
              .find("reference 'kprobe' is not one of the scenario's paths") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace\"\n").find(".toml:1:") != std::string::npos); // TOML syntax
    CHECK(
        error_of("paths = [\"ftrace\"]\nchart = { metric = \"instructions\", stack = \"arch\" }\n")
            .find(":2: unknown chart stack 'arch' (known: none, phase)") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace\"]\nmetrics = [\"max_stack_depth\"]\n"
                   "chart = { metric = \"max_stack_depth\", stack = \"phase\" }\n")
              .find("'max_stack_depth' is not a sum over the call's phases") != std::string::npos);
}

TEST_CASE("a parallel run equals the serial run byte for byte") {
    auto s = load_scenario(tracesim_home() / "scenarios" / "entry-probes.toml", catalogue(), cores);
    REQUIRE(s);
    auto serial = run_batch(catalogue(), s->requests, 1);
    auto parallel = run_batch(catalogue(), s->requests, 4);
    REQUIRE(serial);
    REQUIRE(parallel);
    CHECK(render(*serial, Format::json) == render(*parallel, Format::json));
}

TEST_CASE("clock_ghz turns warm cycles into hits/s; ratios divide the chart metric of two paths") {
    CHECK(error_of("paths = [\"ftrace\"]\nmetrics = [\"hits_per_s_warm\"]\n")
              .find("needs 'clock_ghz'") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace\"]\nclock_ghz = 0\n")
              .find(":2: 'clock_ghz' must be a number above 0") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace\"]\nratios = [\"ftrace/kprobe\"]\n")
              .find(":2: ratio 'ftrace/kprobe': 'kprobe' is not one") != std::string::npos);
    CHECK(error_of("paths = [\"ftrace\"]\nratios = [\"ftrace\"]\n").find("must be 'path/path'") !=
          std::string::npos);

    auto s = load_text(
        "paths = [\"ftrace\", \"ftrace-regs\"]\narches = [\"x86_64\"]\ncores = [\"znver3\"]\n"
        "metrics = [\"cycles_warm\", \"hits_per_s_warm\"]\nclock_ghz = 2.5\n"
        "ratios = [\"ftrace-regs/ftrace\"]\n");
    REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
    auto results = run_batch(catalogue(), s->requests, 1);
    REQUIRE(results);
    const ReportSpec& spec = s->report;
    ReportTable table = build_report(*results, spec);
    const Record& ftrace = results->records[0];
    const Record& regs = results->records[1];
    REQUIRE(ftrace.cycles_traced);
    REQUIRE(regs.cycles_per_call);
    CHECK(table.rows[0].values[1].value ==
          std::llround(2.5e9 / double(ftrace.cycles_traced->cycles_warm)));
    // The formula on a hand-made record: 400 warm cycles per traced call at 2.5 GHz.
    Results handmade;
    Record r400{Arch::x86_64, "ftrace", "6.14"};
    r400.cycles_traced = CycleMetrics{};
    r400.cycles_traced->cycles_warm = 400;
    handmade.records.push_back(r400);
    CHECK(build_report(handmade, spec).rows[0].values[1].value == 6'250'000);
    REQUIRE(table.ratios.size() == 1);
    REQUIRE(table.ratios[0].value);
    CHECK(*table.ratios[0].value == doctest::Approx(double(regs.cycles_per_call->cycles_warm) /
                                                    double(ftrace.cycles_per_call->cycles_warm)));
    std::string text = render(*results, Format::text, RenderOptions{spec});
    CHECK(text.find("Ratios of cycles warm per call") != std::string::npos);
    CHECK(text.find("ftrace-regs / ftrace") != std::string::npos);
}

TEST_CASE("the metric table has a row for every metric a record's JSON holds") {
    std::set<std::string> counted;
    for_each_metric(Metrics{}, [&](std::string_view name, int64_t) {
        const MetricInfo* m = find_metric(name);
        REQUIRE_MESSAGE(m, name);
        CHECK_MESSAGE(m->source == MetricSource::counts, name);
        counted.emplace(name);
    });
    for_each_cycle_metric(CycleMetrics{}, [&](std::string_view name, auto) {
        const MetricInfo* m = find_metric(name);
        REQUIRE_MESSAGE(m, name);
        // instructions are counted; traps are the record's own count
        if (!counted.count(std::string(name)) && name != "traps")
            CHECK_MESSAGE(m->source == MetricSource::cycles, name);
    });
}
