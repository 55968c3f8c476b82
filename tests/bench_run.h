// Helpers of the `bench trig-*` tests (tests/440, tests/441): a record of one path, N calls with
// the per-CPU / per-task words read before and after, the words each path must leave balanced.
#pragma once

#include "path_counts.h"
#include "sim/batch.h"
#include "sim/call_state.h"
#include "sim/counters.h"
#include "sim/machine.h"
#include "sim/runner.h"
#include "sim/trap.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tracesim::test::bench {

struct Run {
    uint64_t hits = 0, return_value = 0;
    std::map<std::string, uint64_t> words;     // the state words after the last call
    std::map<std::string, uint64_t> before;    // and before the first
    std::map<std::string, uint64_t> addresses; // and where they live
    Metrics last_call;                         // the last call, all phases (the driver included)
    Metrics last_body;                         // its phase `body`: the traced function's own code
};

// "symbol" or "symbol+offset" (a field of a struct the kernels define as one object).
inline std::optional<uint64_t> address_of_word(const Image& image, const std::string& word) {
    const size_t plus = word.find('+');
    auto address = image.address_of(word.substr(0, plus));
    if (!address || plus == std::string::npos) return address;
    return *address + std::stoull(word.substr(plus + 1), nullptr, 0);
}

inline uint64_t word_at(Machine& m, const Image& image, const std::string& word) {
    auto address = address_of_word(image, word);
    REQUIRE_MESSAGE(address, word);
    uint64_t v = 0;
    REQUIRE(m.read_memory(*address, std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), sizeof v)));
    return v;
}

// Runs the traced driver `calls` times on one machine (state persists, as in a kernel) and
// reads the bench's hits[0] and the named state words. `site`, when given, is written over
// the call site instead of the catalogue's (a variant of the path: another trampoline).
inline Run run_calls(Arch arch, const std::string& path, int calls,
                     const std::vector<std::string>& words, const std::string& site_text = "",
                     const std::string& kernel = "") {
    auto spec = catalogue().find_path(path, arch, kernel);
    REQUIRE_MESSAGE(spec, (spec ? "" : spec.error().message));
    auto handler = catalogue().find_handler("empty");
    REQUIRE(handler);
    auto image = build_image(catalogue(), **spec, **handler);
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto site = image->phase_range((*spec)->site_at);
    REQUIRE(site);
    REQUIRE(image->patch(site->first, site->second - site->first,
                         site_text.empty() ? (*spec)->site : site_text, "test site"));
    auto machine = Machine::create(*image);
    REQUIRE(machine);
    Machine& m = **machine;
    TrapDelivery traps;
    m.set_trap_handler(&traps);
    const CallState state = initial_call_state(m.isa(), image->layout);
    Counters counters(*image);
    Run r;
    for (const std::string& w : words)
        r.before[w] = word_at(m, *image, w);
    for (int i = 0; i < calls; ++i) {
        if (i == calls - 1) m.add_listener(&counters);
        for (const auto& [reg, value] : state.registers)
            m.write(*reg, value);
        m.write(m.isa().sp, state.sp);
        m.write(m.isa().flags, state.flags);
        auto ok =
            m.run(*image->address_of("driver_entry"), *image->address_of("driver_done"), 100'000);
        REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
    }
    r.hits = word_at(m, *image, "trig_hits");
    r.return_value = m.read(*m.isa().reg(m.isa().ret_regs[0]));
    for (const std::string& w : words) {
        r.words[w] = word_at(m, *image, w);
        r.addresses[w] = *address_of_word(*image, w);
    }
    r.last_call = counters.total();
    r.last_body = counters.phase(Phase::body);
    return r;
}

inline Record run_record(const std::string& path, Arch arch = Arch::x86_64,
                         const std::string& kernel = "") {
    auto record = run_path(catalogue(),
                           RunRequest{arch, path, kernel, "empty", 3, 100'000, false, "", false});
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

// A timed run (znver3) with driver.S replaced by driver_nested.S: two more call/ret levels above
// traced_func, so the returns after the trampoline's are scored by the return-stack model.
inline Record run_nested(const std::string& path, const std::string& kernel) {
    RunRequest request{Arch::x86_64, path, kernel, "empty", 3};
    request.core = "znver3";
    request.replaced_sources["driver.S"] =
        tracesim_home() / "kernels" / "x86_64" / "harness" / "driver_nested.S";
    auto record = run_path(catalogue(), request);
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

inline int64_t return_mispredicts_warm(const Record& r, Phase phase) {
    for (const PhaseCycles& p : r.phase_cycles)
        if (p.phase == phase) return p.metrics.return_mispredicts_warm;
    return 0;
}

// (0x1111 * 0x2222 + 0x3333) ^ 0x2222: what traced_func returns for the driver's arguments.
inline constexpr uint64_t true_return = ((0x1111ull * 0x2222ull) + 0x3333ull) ^ 0x2222ull;

// The per-CPU / per-task words a trig-* path touches, each back to its value before the calls
// after every call: bpf_prog_active, current->migration_disabled, current->bpf_ctx,
// prog->active, and what the path adds (kprobe's recursion guard and current_kprobe, the
// trampoline image's percpu_ref, the tracepoint's preempt guard, perf's recursion context).
// On x86_64 the older models keep the task's fields as globals (migration_disabled,
// current_bpf_ctx) and the models written from the booted kernels reach them as the kernel
// does (task_state.S: current_task's migration_disabled and RCU nesting word, its bpf_ctx at
// +16, trace_recursion at +40, perf_recursion at +56, the runqueue's nr_pinned, the preempt
// count; prog->active is trig_prog_active); on arm64
// the trampoline paths' helpers reach current_task's migration_disabled (+24) and bpf_ctx
// (+32) and the runqueue (paths/task_state.S).
inline std::vector<std::string> balanced_words(Arch arch, const std::string& path) {
    std::vector<std::string> words{"migration_disabled", "current_bpf_ctx", "trig_prog_active"};
    if (arch == Arch::x86_64)
        words.insert(words.end(),
                     {"current_task", "current_task+16", "runqueues", "__preempt_count"});
    else if (path == "trig-fentry" || path == "trig-fexit" || path == "trig-fmodret")
        words.insert(words.end(), {"current_task+24", "current_task+32", "runqueues"});
    if (path == "trig-fmodret") {
        words.push_back(arch == Arch::x86_64 ? "bpf_tramp_im_pcref" : "trig_tramp_pcref");
        words.push_back("trig_fmodret_prog_active");
        return words;
    }
    if (path == "trig-rawtp" || path == "trig-tp") {
        if (arch == Arch::arm64) words.push_back("trig_preempt_count");
        if (path == "trig-tp") {
            words.push_back("bpf_prog_active"); // trace_call_bpf
            // current->perf_recursion[0..3]
            words.push_back(arch == Arch::x86_64 ? "current_task+56" : "perf_recursion");
        }
        return words;
    }
    words.push_back("bpf_prog_active");
    if (arch == Arch::x86_64 && path == "trig-kprobe") {
        words.push_back("current_task+40"); // current->trace_recursion
        words.push_back("current_kprobe");
    }
    if (path == "trig-fexit")
        words.push_back(arch == Arch::x86_64 ? "bpf_tramp_im_pcref" : "trig_tramp_pcref");
    return words;
}

} // namespace tracesim::test::bench
