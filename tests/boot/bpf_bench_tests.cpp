// The BPF trigger bench in a booted kernel (Debian trixie, 6.12): the agent loads our programs
// through bpf(2) and attaches each trig-* as the bench does. What a BPF developer relies on:
// each program counted exactly the driver's calls, the bare call has no probe code in it, every
// trig-* the kernel supports runs through its real trampoline or dispatch code and the JITed
// program, and what the kernel refuses (the verifier, BTF, an attach) comes back with its
// reason. One boot per arch, shared by the cases.
#include "tests/boot/boot_fixture.h"

#include "base/output.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace tracesim;
using namespace tracesim::test;

namespace {

constexpr int bench_calls = 30;

// Three paths the kernel must refuse, next to the shipped catalogue's.
constexpr const char* refused_paths = R"(
[[path]]
name = "bad-verifier"
group = "bpf-bench"
about = "fmod_ret on a function that is not modifiable: the verifier refuses the load"
function = "bpf_get_numa_node_id"
baseline = "trig-base"
setup = ["bpf fmod_ret count_einval bpf_get_numa_node_id", "bpf driver driver_helper"]
teardown = []

[[path]]
name = "bad-btf"
group = "bpf-bench"
about = "fentry on a function the kernel's BTF does not have"
function = "bpf_get_numa_node_id"
baseline = "trig-base"
setup = ["bpf fentry count no_such_function_tracesim", "bpf driver driver_helper"]
teardown = []

[[path]]
name = "bad-attach"
group = "bpf-bench"
about = "raw_tp on a tracepoint that does not exist: the attach is refused"
function = "bpf_get_numa_node_id"
baseline = "trig-base"
setup = ["bpf raw_tp count no_such_tracepoint_tracesim", "bpf driver driver_helper"]
teardown = []
)";

const std::vector<std::string> trig_paths = {
    "trig-fentry", "trig-fexit",          "trig-fmodret", "trig-kprobe", "trig-kretprobe",
    "trig-kprobe-multi", "trig-kretprobe-multi", "trig-rawtp",  "trig-tp"};

const BootRun& bench_boot(Arch arch) {
    static std::map<Arch, BootRun> runs;
    auto it = runs.find(arch);
    if (it == runs.end()) {
        const std::filesystem::path paths =
            std::filesystem::temp_directory_path() / fmt::format("tracesim-bpf-paths-{}.toml", arch);
        std::string text = read_text_file(tracesim_home() / "boot" / "paths.toml") + refused_paths;
        REQUIRE(write_file_atomically(paths, text));
        BootRequest request{*bpf_bench_kernel(arch), trig_paths};
        for (const char* bad : {"bad-verifier", "bad-btf", "bad-attach"})
            request.paths.push_back(bad);
        request.calls = bench_calls;
        request.paths_file = paths;
        auto run = boot_and_capture(request);
        std::filesystem::remove(paths);
        REQUIRE_MESSAGE(run, (run ? "" : run.error().message));
        it = runs.emplace(arch, std::move(*run)).first;
    }
    return it->second;
}

bool runs_symbol(const BootedPath& p, std::string_view pattern) {
    for (const TraceInstruction& insn : p.calls[p.steady].trace.instructions)
        if (auto hit = p.symbols.lookup(insn.pc); hit && symbol_matches(pattern, hit->symbol->name))
            return true;
    return false;
}

int64_t phase_instructions(const Record& r, Phase phase) {
    for (const PhaseMetrics& p : r.phases)
        if (p.phase == phase) return p.metrics.instructions;
    return 0;
}

void counters_equal_the_calls(Arch arch) {
    const BootRun& run = bench_boot(arch);
    for (const BootedPath& p : run.paths) {
        CAPTURE(p.spec.name);
        if (!p.ran) continue;
        const bool baseline = p.spec.name == p.spec.baseline;
        // The driver made exactly `calls` calls, each captured whole.
        CHECK(p.calls_found == bench_calls);
        CHECK(p.calls.size() == static_cast<size_t>(bench_calls));
        REQUIRE(p.hits);
        // Each program counted every hit (the bench's hits); a bare call counts none.
        CHECK(*p.hits == (baseline ? 0 : bench_calls));
        if (!baseline) continue;
        // kernel-count's baseline costs nothing over the bare call: no probe code runs in it.
        for (const TraceInstruction& insn : p.calls[p.steady].trace.instructions)
            CHECK_MESSAGE((insn.phase == Phase::body || insn.phase == Phase::site),
                          fmt::format("{:#x} is {}", insn.pc, insn.phase));
    }
}

void each_trig_runs_the_kernels_code(Arch arch) {
    const BootRun& run = bench_boot(arch);
    // What each mechanism must run besides the JITed counter program (kallsyms names).
    const std::map<std::string, std::vector<std::string>> through = {
        {"trig-fentry", {"bpf_trampoline_*", "__bpf_prog_enter*"}},
        {"trig-fexit", {"bpf_trampoline_*", "__bpf_tramp_enter"}},
        {"trig-fmodret", {"bpf_trampoline_*", "__bpf_prog_enter*"}},
        {"trig-kprobe", {"kprobe_dispatcher", "trace_call_bpf"}},
        {"trig-kretprobe", {"kretprobe_dispatcher", "trace_call_bpf"}},
        {"trig-kprobe-multi", {"kprobe_multi_link_handler"}},
        {"trig-kretprobe-multi", {"kprobe_multi_link_exit_handler"}},
        {"trig-rawtp", {"bpf_trace_run1"}},
        {"trig-tp", {"perf_trace_run_bpf_submit", "trace_call_bpf"}},
    };
    int ran = 0;
    for (const std::string& name : trig_paths) {
        CAPTURE(name);
        const BootedPath* p = run.find(name);
        REQUIRE(p);
        if (!p->ran) {
            // Only what the kernel cannot do: arm64 6.12 has no fprobe (kprobe.multi).
            CHECK(name.find("multi") != std::string::npos);
            CHECK(arch == Arch::arm64);
            CHECK(p->reason.find("CONFIG_FPROBE") != std::string::npos);
            continue;
        }
        ++ran;
        CHECK(runs_symbol(*p, p->spec.name == "trig-fmodret" ? "bpf_prog_*_count_einval"
                                                              : "bpf_prog_*_count"));
        for (const std::string& symbol : through.at(name))
            CHECK_MESSAGE(runs_symbol(*p, symbol), symbol);
        Record r = booted(run, name);
        REQUIRE(r.supported);
        CHECK(r.boot->unmapped.empty());
        CHECK(phase_instructions(r, Phase::handler) > 0);  // the program
        CHECK(phase_instructions(r, Phase::dispatch) > 0); // the kernel's way to it
        CHECK(r.per_call.instructions > 0);
        bool named = false; // the run-time code the call ran is named, [bpf] at least
        for (const std::string& region : r.boot->run_time_regions)
            named = named || region.find("[bpf]") != std::string::npos;
        CHECK(named);
    }
    CHECK(ran >= 7);
    // fmod_ret's -22 skips the body: fewer body instructions than the bare call has.
    Record fmodret = booted(run, "trig-fmodret"), bare = booted(run, "trig-base-kfunc");
    CHECK(phase_instructions(fmodret, Phase::body) < phase_instructions(bare, Phase::body));
}

void refusals_carry_the_kernels_reason(Arch arch) {
    const BootRun& run = bench_boot(arch);
    auto reason = [&](std::string_view name) {
        const BootedPath* p = run.find(name);
        REQUIRE(p);
        CHECK_FALSE(p->ran);
        return p->reason;
    };
    std::string verifier = reason("bad-verifier");
    CHECK(verifier.find("BPF_PROG_LOAD of 'count_einval' refused") != std::string::npos);
    CHECK(verifier.find("verifier: ") != std::string::npos);
    CHECK(verifier.find("not modifiable") != std::string::npos); // the verifier's own words
    CHECK(reason("bad-btf").find("no function 'no_such_function_tracesim' in the kernel's BTF") !=
          std::string::npos);
    CHECK(reason("bad-attach").find("raw_tp attach to no_such_tracepoint_tracesim refused") !=
          std::string::npos);
}

} // namespace

TEST_SUITE("boot-x86_64") {
    TEST_CASE("x86_64 BPF bench: each program counts every call, the bare call runs no probe") {
        counters_equal_the_calls(Arch::x86_64);
    }
    TEST_CASE("x86_64 BPF bench: each trig-* runs the kernel's trampoline or dispatch and the JIT's program") {
        each_trig_runs_the_kernels_code(Arch::x86_64);
    }
    TEST_CASE("x86_64 BPF bench: the verifier's, BTF's and the attach's refusals carry their reason") {
        refusals_carry_the_kernels_reason(Arch::x86_64);
    }
}

TEST_SUITE("boot-arm64") {
    TEST_CASE("arm64 BPF bench: each program counts every call, the bare call runs no probe") {
        counters_equal_the_calls(Arch::arm64);
    }
    TEST_CASE("arm64 BPF bench: each trig-* runs the kernel's trampoline or dispatch and the JIT's program") {
        each_trig_runs_the_kernels_code(Arch::arm64);
    }
    TEST_CASE("arm64 BPF bench: the verifier's, BTF's and the attach's refusals carry their reason") {
        refusals_carry_the_kernels_reason(Arch::arm64);
    }
}
