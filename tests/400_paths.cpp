// Layer 4: every path of the catalogue, run for real. Functional truth everywhere; exact counts
// for our own assembly (a changed count is a deliberate, explained update of this table).
#include "path_counts.h"
#include "sim/call_state.h"
#include "report/render.h"

#include <thread>

using namespace tracesim;
using namespace tracesim::test;

namespace {

Record run(Arch arch, const std::string& path, const std::string& handler = "read-args",
           int calls = 1, const std::string& kernel = "") {
    auto record = run_path(catalogue(), RunRequest{arch, path, kernel, handler, calls});
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

// Per traced call, handler `empty` (so the numbers are the path's alone), traced minus untraced.
// x86_64 ftrace: save_mcount_regs (15: rbp through %rdx) + CALL_DEPTH_ACCOUNT's NOP + sp (2) |
//   op, regs, cs, the second CALL_DEPTH_ACCOUNT NOP, call | ip write-back, 8 reloads, add, ret;
//   the call site's `call` replaces a NOP; 1 for the handler's ret.
const PathCounts x86_counts[] = {
    {"ftrace", "", 36, 14, 15, 112, 120, 0, 18, 5, 12, 0, 0},
    {"ftrace-regs", "", 62, 24, 27, 192, 216, 0, 33, 3, 25, 0, 0},
};
// arm64 ftrace-regs: 41 trampoline instructions, as counted on Linux 6.1 (arch/arm64/kernel/entry-ftrace.S).
const PathCounts arm64_counts[] = {
    {"ftrace", "", 33, 13, 17, 104, 136, 0, 16, 6, 10, 0, 0},
    {"ftrace-regs", "", 42, 13, 37, 104, 296, 0, 24, 7, 10, 0, 0},
};

} // namespace

TEST_CASE(
    "every supported path keeps the traced function's behaviour and feeds its handlers the truth") {
    for (const PathSpec& spec : catalogue().paths) {
        if (!spec.supported || spec.name == "none") continue;
        CAPTURE(spec.name);
        CAPTURE(name_of(spec.arch));
        CAPTURE(spec.kernel);
        Record r = run(spec.arch, spec.name, "read-all", 3, spec.kernel);
        CHECK(r.supported);
        CHECK_MESSAGE(r.checks.ok(), (r.checks.ok() ? "" : r.checks.problems.front()));
        CHECK(r.checks.return_value);
        CHECK(r.checks.callee_saved);
        CHECK(r.checks.stack_balanced);
        if (spec.regs_struct != "none") {
            REQUIRE(r.checks.handler_args.has_value());
            CHECK(*r.checks.handler_args);
        }
        if (!spec.exit_regs_struct.empty()) {
            REQUIRE(r.checks.handler_ret.has_value());
            CHECK(*r.checks.handler_ret);
        }
        CHECK(r.per_call.instructions > 0);
        CHECK(r.per_call.bytes_stored > 0);
    }
}

TEST_CASE("exact per-call counts of our own trampolines") {
    check_count_table(Arch::x86_64, x86_counts);
    check_count_table(Arch::arm64, arm64_counts);
}

TEST_CASE("the full pt_regs path costs more than the ftrace_regs path on both arches") {
    for (Arch arch : all_arches) {
        CAPTURE(name_of(arch));
        Record args = run(arch, "ftrace");
        Record full = run(arch, "ftrace-regs");
        CHECK(full.per_call.instructions > args.per_call.instructions);
        CHECK(full.per_call.bytes_stored > args.per_call.bytes_stored);
        CHECK(full.per_call.max_stack_depth > args.per_call.max_stack_depth);
    }
}

TEST_CASE("the untraced path costs nothing over itself and the body computes the right value") {
    for (Arch arch : all_arches) {
        Record none = run(arch, "none", "empty");
        CHECK(none.per_call == Metrics{});
        CHECK(none.checks.return_value);
        CHECK(none.traced.instructions > 0);
    }
}

TEST_CASE("the same run twice gives byte-identical JSON") {
    // The second run is on a fresh thread: the timing models (and their memo of MCA schedules)
    // are per thread, so it computes every schedule again instead of reusing the first run's.
    auto run_all = [] {
        Results r;
        for (Arch arch : all_arches)
            for (const char* path : {"ftrace", "ftrace-regs"})
                r.records.push_back(run(arch, path, "read-args", 2));
        return r;
    };
    Results a = run_all(), b;
    std::thread([&] { b = run_all(); }).join();
    REQUIRE(a.records.size() == b.records.size());
    CHECK(a.records.front().cycles_per_call.has_value()); // the timing model did run
    CHECK(render(a, Format::json) == render(b, Format::json));
}

TEST_CASE("paths and eras are chosen by name, with helpful errors") {
    auto unknown = catalogue().find_path("kprobe-magic", Arch::x86_64, "");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().exit_code == ExitCode::usage_error);
    CHECK(unknown.error().message.find("known: none, ftrace, ftrace-regs") != std::string::npos);
    auto era = catalogue().find_path("ftrace-regs", Arch::arm64, "6.14");
    REQUIRE_FALSE(era);
    CHECK(era.error().message.find("available: 6.1") != std::string::npos);
    CHECK(kernel_older("6.2", "6.14"));
    CHECK_FALSE(kernel_older("6.14", "6.2"));
}
