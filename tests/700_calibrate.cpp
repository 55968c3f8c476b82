// Layer 7: calibration against the host (sim/calibrate). Native runs must compute exactly what the
// emulator computes; paths that need ring 0 are reported with a reason. Timings are measured on a
// shared machine, so no test compares a time with a number: only that measuring produces values.
#include "sim/calibrate/calibrate.h"
#include "sim/calibrate/native.h"
#include "sim/call_state.h"
#include "timing/trace.h"

#include <algorithm>
#include <cstdio>
#include <doctest/doctest.h>
#include <string>
#include <sys/wait.h>

using namespace tracesim;

namespace {

const Catalogue& catalogue() {
    static const Catalogue c =
        *load_catalogue(std::filesystem::path(TRACESIM_SOURCE_DIR) / "kernels");
    return c;
}

DynamicTrace trace_of(std::initializer_list<std::vector<uint8_t>> instructions) {
    DynamicTrace t{Arch::x86_64, {}, {}};
    uint64_t pc = 0x400000;
    for (const auto& bytes : instructions) {
        TraceInstruction i{};
        i.pc = pc;
        i.size = uint8_t(bytes.size());
        std::copy(bytes.begin(), bytes.end(), i.bytes.begin());
        t.instructions.push_back(i);
        pc += bytes.size();
    }
    return t;
}

} // namespace

// Skipped (reported so by doctest), not passed, where native runs are unsupported.
TEST_CASE("calibrate: the native run returns what the emulated run returns, handlers see the same" * doctest::skip(!native_supported())) {
    CalibrateRequest request;
    request.paths = {"ftrace", "ftrace-regs", "fgraph", "kretprobe", "optprobe", "bpf-fexit"};
    request.measure = false;
    auto report = calibrate(catalogue(), request);
    REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
    CHECK(report->paths.size() == 8); // fgraph and bpf-fexit (call, jmp mode) have two eras
    for (const PathCalibration& p : report->paths) {
        CAPTURE(p.path);
        CAPTURE(p.kernel);
        REQUIRE(p.calibratable);
        CHECK(p.functional_ok);
        CHECK(p.problems.empty());
        CHECK(p.native_result == traced_result);
        CHECK(p.native_result == p.emulated_result);
        for (int i = 0; i < 4; ++i)
            CHECK(p.native_seen[i] == p.emulated_seen[i]);
        CHECK_FALSE(p.per_call_cycles.has_value()); // nothing timed
        CHECK(p.model_warm > 0);
    }
    // The recording handlers really ran natively: they saw the true arguments and return value.
    const PathCalibration* kretprobe = report->find("kretprobe");
    REQUIRE(kretprobe);
    CHECK(kretprobe->native_seen[0] == traced_args[0]);
    CHECK(kretprobe->native_seen[2] == traced_args[2]);
    CHECK(kretprobe->native_seen[3] == traced_result);
}

TEST_CASE("calibrate: paths that trap or need ring 0 are not calibratable, with the reason") {
    CalibrateRequest request;
    request.paths = {"kprobe", "kprobe-body"};
    request.measure = false;
    auto report = calibrate(catalogue(), request);
    REQUIRE(report);
    REQUIRE(report->paths.size() == 2);
    for (const PathCalibration& p : report->paths) {
        CHECK_FALSE(p.calibratable);
        CHECK(p.reason.find("int3") != std::string::npos);
        CHECK(p.reason.find("iretq") != std::string::npos);
        CHECK_FALSE(p.error_percent.has_value());
    }
}

TEST_CASE("calibrate: the privilege scan names each privileged or trapping instruction; popfq, "
          "cli and sti are notes") {
    DynamicTrace clean =
        trace_of({{0x53}, {0x9c}, {0x9d}, {0x5b}, {0xc3}}); // push, pushfq, popfq, pop, ret
    PrivilegeScan ok = scan_for_privileged(clean);
    CHECK(ok.reason.empty());
    REQUIRE(ok.notes.size() == 1);
    CHECK(ok.notes[0].find("popfq") != std::string::npos);
    DynamicTrace bad =
        trace_of({{0x0f, 0x01, 0xf8}, {0x0f, 0x30}, {0xf4}, {0x0f, 0x22, 0xd8}, {0xcc}});
    PrivilegeScan scan = scan_for_privileged(bad);
    for (const char* what : {"swapgs", "wrmsr", "hlt", "%cr3", "int3"}) {
        CAPTURE(what);
        CHECK(scan.reason.find(what) != std::string::npos);
    }
    // local_irq_save / _restore's cli and sti (the rethook's objpool) run as NOPs natively: a
    // note and their addresses, not a reason.
    DynamicTrace irqs = trace_of({{0x9c}, {0x58}, {0xfa}, {0x90}, {0xfb}, {0xc3}});
    PrivilegeScan toggles = scan_for_privileged(irqs);
    CHECK(toggles.reason.empty());
    CHECK(toggles.irq_toggles == std::vector<uint64_t>{0x400002, 0x400004});
    CHECK(std::any_of(toggles.notes.begin(), toggles.notes.end(),
                      [](const std::string& n) { return n.find("cli/sti") != std::string::npos; }));
    CHECK(scan_for_privileged(trace_of({{0x65, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0}}))
              .uses_gs); // mov %gs:0, %rax
}

// Skipped (reported so by doctest), not passed, where native runs are unsupported.
TEST_CASE("calibrate: a short measurement yields measured cycles, an error and the TSC ratio" * doctest::skip(!native_supported())) {
    CalibrateRequest request;
    request.paths = {"ftrace", "ftrace-regs"};
    request.iterations = 2000;
    request.rounds = 4;
    auto report = calibrate(catalogue(), request);
    REQUIRE(report);
    CHECK(report->tsc_per_cycle > 0);
    CHECK(report->tsc_mhz > 0);
    CHECK(!report->cpu.empty());
    for (const PathCalibration& p : report->paths) {
        CAPTURE(p.path);
        CHECK(p.functional_ok);
        CHECK(p.per_call_cycles.has_value());
        CHECK(p.per_call_ticks.p25 <= p.per_call_ticks.p75);
    }
    // Never an absolute time: only that a path saving more costs more is not asserted either.
}

// Skipped (reported so by doctest), not passed, where native runs are unsupported.
TEST_CASE("tracesim calibrate: runs, prints the table and the MAE line, other arches are a usage error" * doctest::skip(!native_supported())) {
    auto run = [](const std::string& args) {
        std::string command = std::string(TRACESIM_BINARY) + " " + args + " 2>&1";
        FILE* pipe = popen(command.c_str(), "r");
        std::string out;
        char buffer[4096];
        size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
            out.append(buffer, n);
        int status = pclose(pipe);
        return std::pair{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
    };
    auto [code, out] = run("calibrate --path ftrace --path kprobe --iterations 1000 --rounds 2");
    CHECK(code == 0);
    CHECK(out.find("ftrace") != std::string::npos);
    CHECK(out.find("not calibratable: int3") != std::string::npos);
    CHECK(out.find("mean absolute error") != std::string::npos);
    auto [json_code, json] =
        run("calibrate --path ftrace --iterations 1000 --rounds 2 --format json");
    CHECK(json_code == 0);
    CHECK(json.find("\"schema\": \"tracesim-calibration/1\"") != std::string::npos);
    CHECK(run("calibrate --arch arm64").first == 2);
    CHECK(run("calibrate --path no-such-path").first == 2);
}
