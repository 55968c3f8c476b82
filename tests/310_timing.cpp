// Layer 3: the timing model turns a call's dynamic trace into cycles, per core, honestly.
#include "helpers.h"
#include "isa/disassembler.h"
#include "sim/machine.h"
#include "timing/cache_model.h"
#include "timing/override_table.h"
#include "timing/timing_model.h"
#include "sim/trace_recorder.h"

#include <algorithm>
#include <fstream>

using namespace tracesim;

namespace {

const std::vector<CoreProfile>& cores() {
    static const std::vector<CoreProfile> c = [] {
        auto loaded = load_core_profiles(tracesim_home() / "isa" / "cores");
        REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.error().message));
        return *loaded;
    }();
    return c;
}

std::unique_ptr<TimingModel> model_for(std::string_view core, Arch arch, TimingOptions o = {}) {
    auto profile = find_core(cores(), core, arch);
    REQUIRE_MESSAGE(profile, (profile ? "" : profile.error().message));
    auto model = TimingModel::create(**profile, o);
    REQUIRE_MESSAGE(model, (model ? "" : model.error().message));
    return std::move(*model);
}

// Runs a complete program (driver_entry .. driver_done) `calls` times; one trace per call.
std::vector<DynamicTrace> record(Arch arch, const std::string& source, int calls = 1) {
    auto image = tracesim::test::build_program(arch, source);
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto machine = Machine::create(*image);
    REQUIRE(machine);
    TraceRecorder recorder(*image);
    (*machine)->add_listener(&recorder);
    for (int i = 0; i < calls; ++i) {
        (*machine)->write((*machine)->isa().sp, image->layout.stack_top());
        auto ran = (*machine)->run(*image->address_of("driver_entry"),
                                   *image->address_of("driver_done"), 1000);
        REQUIRE_MESSAGE(ran, (ran ? "" : ran.error().message));
    }
    return recorder.calls();
}

// A straight-line trace of `source` built by hand (not executed): every instruction once.
DynamicTrace straight_line(Arch arch, const std::string& source, Phase phase = Phase::body) {
    auto object = assemble(arch, source, "t.S");
    REQUIRE_MESSAGE(object, (object ? "" : object.error().message));
    const std::vector<uint8_t>& code = object->sections.at(0).bytes;
    Disassembler disassembler(arch);
    DynamicTrace t;
    t.arch = arch;
    for (size_t at = 0; at < code.size();) {
        auto d = disassembler.decode(std::span(code).subspan(at), 0x400000 + at);
        REQUIRE(d);
        TraceInstruction insn{};
        insn.pc = 0x400000 + at;
        insn.size = static_cast<uint8_t>(d->size);
        std::copy_n(code.begin() + at, d->size, insn.bytes.begin());
        insn.phase = phase;
        insn.first_access = 0;
        t.instructions.push_back(insn);
        at += d->size;
    }
    return t;
}

std::filesystem::path write_profile(std::string_view name, const std::string& text) {
    auto dir = std::filesystem::temp_directory_path() / "tracesim_310";
    std::filesystem::create_directories(dir);
    auto file = dir / (std::string(name) + ".toml");
    std::ofstream(file) << text;
    return file;
}

std::string profile_text(const CoreProfile& base) {
    std::ifstream in(base.file);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

const char* x86_call_ret = R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    call fn
driver_done:
    ud2
fn:
phase.body.fn:
    pushq %rbx
    call leaf
    popq %rbx
    ret
leaf:
    movq (%rsp), %rax
    HIJACK
    ret
hijacked:
phase.hijack.r:
    jmp driver_done
)";

std::string with(const char* source, const std::string& from, const std::string& to) {
    std::string s = source;
    s.replace(s.find(from), from.size(), to);
    return s;
}

} // namespace

TEST_CASE("the six shipped core profiles load, with a default core per arch") {
    const auto& all = cores();
    CHECK(all.size() >= 6);
    for (std::string_view name : {"znver3", "skylake", "sapphirerapids"})
        CHECK(find_core(all, name, Arch::x86_64));
    for (std::string_view name : {"neoverse-n1", "neoverse-v2", "cortex-a55"})
        CHECK(find_core(all, name, Arch::arm64));
    CHECK(find_core(all, default_core_name(Arch::x86_64), Arch::x86_64));
    CHECK(find_core(all, default_core_name(Arch::arm64), Arch::arm64));
    auto a55 = find_core(all, "cortex-a55", Arch::arm64);
    CHECK((*a55)->in_order);
    CHECK_FALSE(find_core(all, "znver3", Arch::arm64));
    auto n1 = find_core(all, "neoverse-n1", Arch::arm64);
    CHECK((*n1)->l1d.size_kib.value == 64);
    CHECK((*n1)->mispredict_penalty.value == 11);
    CHECK_FALSE((*n1)->mispredict_penalty.estimate);
    CHECK((*n1)->exception_entry.estimate);
}

TEST_CASE("a bad profile is an error naming file:line and the valid keys") {
    const CoreProfile& n1 = **find_core(cores(), "neoverse-n1", Arch::arm64);
    std::string good = profile_text(n1);

    auto unknown = load_core_profile(
        write_profile("neoverse-n1", with(good.c_str(), "[l1d]\n", "[l1d]\nsize_kb = 1\n")));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message.find("neoverse-n1.toml:") != std::string::npos);
    CHECK(unknown.error().message.find("unknown key 'size_kb'") != std::string::npos);
    CHECK(unknown.error().message.find("size_kib, ways, line_bytes") != std::string::npos);

    auto wrong_type = load_core_profile(
        write_profile("neoverse-n1", with(good.c_str(), "in_order = false", "in_order = 0")));
    REQUIRE_FALSE(wrong_type);
    CHECK(wrong_type.error().message.find("neoverse-n1.toml:9:") != std::string::npos);

    auto cpu = load_core_profile(write_profile(
        "neoverse-n1", with(good.c_str(), "llvm_cpu = \"neoverse-n1\"", "llvm_cpu = \"n1\"")));
    REQUIRE_FALSE(cpu);
    CHECK(cpu.error().message.find("does not know the CPU 'n1'") != std::string::npos);

    auto no_source = load_core_profile(write_profile(
        "neoverse-n1", with(good.c_str(), "[memory]\nlatency = { value = 90, estimate",
                            "[memory]\nlatency = { value = 90, guess")));
    REQUIRE_FALSE(no_source);
    CHECK(no_source.error().message.find("valid keys: value, source, estimate") !=
          std::string::npos);
}

TEST_CASE("override patterns: lower-cased prefix, arm64 wildcard, longest wins") {
    CHECK(normalise_disassembly("msr\tDAIFSet,  #0x2") == "msr daifset, #0x2");
    CHECK(pattern_matches_prefix("mrs *, daif", "mrs x12, daif", true));
    CHECK_FALSE(pattern_matches_prefix("br *", "brk #0x3e8", true));
    CHECK_FALSE(pattern_matches_prefix("callq *", "callq 0x400100", false));
    CHECK(pattern_matches_prefix("callq *", "callq *%rax", false));
    OverrideTable x86(**find_core(cores(), "skylake", Arch::x86_64));
    REQUIRE(x86.match("rdtscp"));
    CHECK(x86.match("rdtscp")->match == "rdtscp");
    CHECK(x86.match("rdtsc")->match == "rdtsc");
    CHECK(x86.match("callq 0x400100") == nullptr);
}

TEST_CASE("the same trace gives bit-identical cycles, and cold costs at least warm") {
    auto traces = record(Arch::x86_64, with(x86_call_ret, "HIJACK", ""), 3);
    auto model = model_for("znver3", Arch::x86_64);
    auto a = model->time_calls(traces);
    auto b = model->time_calls(traces);
    auto c = model_for("znver3", Arch::x86_64)->time_calls(traces);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(a->total == b->total);
    CHECK(a->total == c->total);
    CHECK(a->total.cycles_warm > 0);
    CHECK(a->total.cycles_cold >= a->total.cycles_warm);
    CHECK(a->total.instructions == 7);
    CHECK(a->total.unpriced == 0);
    for (const CoreProfile& core : cores()) {
        if (core.arch != Arch::x86_64) continue;
        auto t = model_for(core.name, core.arch)->time_calls(traces);
        REQUIRE(t);
        CHECK(t->total.cycles_cold >= t->total.cycles_warm);
    }
}

TEST_CASE("phases add up to the call, and the timeline is in order") {
    auto traces = record(Arch::x86_64, with(x86_call_ret, "HIJACK", ""), 2);
    auto t = model_for("skylake", Arch::x86_64, {.timeline = true})->time_calls(traces);
    REQUIRE(t);
    int64_t cold = 0, warm = 0, insns = 0;
    for (const PhaseCycles& p : t->phases) {
        cold += p.metrics.cycles_cold;
        warm += p.metrics.cycles_warm;
        insns += p.metrics.instructions;
    }
    CHECK(cold == t->total.cycles_cold);
    CHECK(warm == t->total.cycles_warm);
    CHECK(insns == t->total.instructions);
    REQUIRE(t->timeline.size() == 7);
    uint32_t last_retire = 0;
    for (const InstructionTiming& i : t->timeline) {
        CHECK(i.warm.dispatched <= i.warm.issued);
        CHECK(i.warm.issued <= i.warm.executed);
        CHECK(i.warm.executed <= i.warm.retired);
        CHECK(i.warm.retired >= last_retire);
        last_retire = i.warm.retired;
    }
    CHECK(int64_t(t->timeline.back().warm.retired) < t->total.cycles_warm);
    CHECK(t->timeline.front().text.starts_with("callq"));
}

TEST_CASE("return-address hijacking mispredicts the return; a plain call/ret does not") {
    auto plain = record(Arch::x86_64, with(x86_call_ret, "HIJACK", ""), 2);
    auto hijack =
        record(Arch::x86_64,
               with(x86_call_ret, "HIJACK", "leaq hijacked(%rip), %rcx\n    movq %rcx, (%rsp)"), 2);
    auto model = model_for("znver3", Arch::x86_64);
    auto p = model->time_calls(plain);
    auto h = model->time_calls(hijack);
    REQUIRE(p);
    REQUIRE(h);
    CHECK(p->total.mispredicts_warm == 0);
    CHECK(p->total.return_mispredicts_cold == 0);
    CHECK(h->total.return_mispredicts_warm == 1);
    CHECK(h->total.return_mispredicts_cold == 1);
    CHECK(h->phase(Phase::body)->return_mispredicts_warm == 1);
}

TEST_CASE("the override table is applied: mrs daif costs more than no mrs (arm64)") {
    const char* source = R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    bl fn
driver_done:
    udf #0
fn:
phase.body.fn:
    READ
    add x1, x0, #1
    add x2, x1, #1
    ret
)";
    for (std::string_view core : {"neoverse-n1", "neoverse-v2", "cortex-a55"}) {
        CAPTURE(core);
        auto model = model_for(core, Arch::arm64, {.timeline = true});
        auto with_mrs =
            model->time_calls(record(Arch::arm64, with(source, "READ", "mrs x0, daif")));
        auto without = model->time_calls(record(Arch::arm64, with(source, "READ", "")));
        auto with_isb = model->time_calls(record(Arch::arm64, with(source, "READ", "isb")));
        REQUIRE(with_mrs);
        REQUIRE(without);
        REQUIRE(with_isb);
        CHECK(with_mrs->total.cycles_warm > without->total.cycles_warm);
        CHECK(with_isb->total.cycles_warm > with_mrs->total.cycles_warm);
        CHECK(with_mrs->timeline[1].override_match == "mrs *, daif");
        CHECK(with_isb->timeline[1].serializing);
        CHECK(with_mrs->total.unpriced == 0);
    }
}

TEST_CASE("an instruction the model cannot price is reported, never free") {
    DynamicTrace t = straight_line(Arch::x86_64, "nop\naddq %rax, %rbx\n");
    t.instructions[1].bytes = {0x0f, 0xff}; // ud0 without its ModRM: does not decode
    t.instructions[1].size = 2;
    auto timing = model_for("znver3", Arch::x86_64)->time_call(t);
    REQUIRE(timing);
    CHECK(timing->total.unpriced == 1);
    REQUIRE(timing->unpriced.size() == 1);
    CHECK(timing->unpriced[0].pc == t.instructions[1].pc);
    CHECK(timing->unpriced[0].reason == Unpriced::not_decoded);
    CHECK(timing->phase(Phase::body)->unpriced == 1);

    // cpuid: the Zen 3 model has no latency for it and no override covers it.
    auto cpuid =
        model_for("znver3", Arch::x86_64)->time_call(straight_line(Arch::x86_64, "cpuid\n"));
    REQUIRE(cpuid);
    CHECK(cpuid->total.unpriced == 1);
    // wrmsr has no latency either, but the override table prices it.
    auto wrmsr =
        model_for("znver3", Arch::x86_64)->time_call(straight_line(Arch::x86_64, "wrmsr\n"));
    REQUIRE(wrmsr);
    CHECK(wrmsr->total.unpriced == 0);
    CHECK(wrmsr->total.cycles_warm >= 150);
}

TEST_CASE("atomic read-modify-writes are one instruction each, and priced") {
    // x86: LLVM decodes the lock prefix as an instruction of its own; the model joins it.
    for (std::string_view core : {"znver3", "skylake", "sapphirerapids"}) {
        CAPTURE(core);
        auto model = model_for(core, Arch::x86_64, {.timeline = true});
        DynamicTrace locked = straight_line(Arch::x86_64, "lock addq %rsi, (%rdi)\n");
        REQUIRE(locked.instructions.size() == 1);
        auto timing = model->time_call(locked);
        REQUIRE(timing);
        CHECK(timing->total.unpriced == 0);
        CHECK(timing->timeline[0].text == "lock addq %rsi, (%rdi)");
        // Priced as the RMW it locks (docs/cores.md, "Atomics": the lock's own cost is a limit
        // between back-to-back locked operations that a call timed alone does not show).
        auto plain = model->time_call(straight_line(Arch::x86_64, "addq %rsi, (%rdi)\n"));
        REQUIRE(plain);
        CHECK(timing->total.cycles_warm == plain->total.cycles_warm);
    }
    // arm64: LSE stadd has no scheduling class in LLVM 19's models.
    for (std::string_view core : {"neoverse-n1", "neoverse-v2", "cortex-a55"}) {
        CAPTURE(core);
        auto model = model_for(core, Arch::arm64, {.timeline = true});
        auto timing = model->time_call(straight_line(Arch::arm64, "stadd x1, [x0]\n"));
        REQUIRE(timing);
        CHECK(timing->total.unpriced == 0);
        CHECK(timing->timeline[0].override_match == "stadd");
    }
}

TEST_CASE("caches: two lines touched are two cold misses and no warm miss") {
    DynamicTrace t =
        straight_line(Arch::arm64, "ldr x0, [x1]\nldr x2, [x1, #64]\nadd x3, x0, x2\n");
    t.accesses = {{0x600000, 8, false, false}, {0x600040, 8, false, false}};
    t.instructions[0].access_count = 1;
    t.instructions[1].first_access = 1;
    t.instructions[1].access_count = 1;
    const CoreProfile& n1 = **find_core(cores(), "neoverse-n1", Arch::arm64);
    auto timing = model_for("neoverse-n1", Arch::arm64)->time_call(t);
    REQUIRE(timing);
    CHECK(timing->total.l1d_misses_cold == 2);
    CHECK(timing->total.l1d_misses_warm == 0);
    CHECK(timing->total.l2_misses_cold == 2);
    // Each cold miss costs (memory - L1) cycles, not overlapped with anything.
    CHECK(timing->total.cycles_cold - timing->total.cycles_warm ==
          2 * (n1.memory_latency.value - n1.load_latency_l1.value));

    DataCacheModel cache(n1);
    CHECK(cache.access(0x1000) == CacheOutcome::l2_miss);
    CHECK(cache.access(0x1008) == CacheOutcome::l1_hit);
    // 5 lines in one 4-way L1 set: the first is evicted from L1 but still in L2.
    uint64_t set_stride = 64 * 1024 / 4;
    for (uint64_t k = 1; k <= 4; ++k)
        cache.access(0x1000 + k * set_stride);
    CHECK(cache.access(0x1000) == CacheOutcome::l2_hit);
}

TEST_CASE("a trapped instruction pays exception entry, attributed to the trap phase") {
    DynamicTrace t = straight_line(Arch::arm64, "nop\nbrk #0x4\nnop\n", Phase::site);
    t.instructions[1].trapped = true;
    const CoreProfile& n1 = **find_core(cores(), "neoverse-n1", Arch::arm64);
    auto timing = model_for("neoverse-n1", Arch::arm64)->time_call(t);
    REQUIRE(timing);
    const CycleMetrics* trap = timing->phase(Phase::trap);
    REQUIRE(trap);
    CHECK(trap->cycles_warm == n1.exception_entry.value);
    CHECK(trap->traps == 1);
    CHECK(trap->instructions == 0);
}

TEST_CASE("identical calls cost one MCA pipeline (memoised)") {
    auto traces = record(Arch::arm64, R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    bl fn
driver_done:
    udf #0
fn:
phase.body.fn:
    stp x29, x30, [sp, #-16]!
    ldp x29, x30, [sp], #16
    ret
)",
                         5);
    auto model = model_for("cortex-a55", Arch::arm64);
    for (const DynamicTrace& t : traces)
        REQUIRE(model->time_call(t));
    REQUIRE(model->time_calls(traces));
    TimingStats s = model->stats();
    CHECK(s.pipelines_run == 1);
    CHECK(s.memo_misses == 1);
    CHECK(s.result_hits == 5); // identical calls: the whole result is reused

    // Without memoisation every call runs its own pipeline, with the same numbers.
    auto unmemoised = model_for("cortex-a55", Arch::arm64, {.memoise = false});
    for (const DynamicTrace& t : traces)
        CHECK(unmemoised->time_call(t)->total == model->time_call(t)->total);
    CHECK(unmemoised->stats().pipelines_run == traces.size());
}

TEST_CASE(
    "x86 stack engine: a run of pops does not wait on RSP (calibration: 15 pops, 11 cycles)") {
    std::string pops = "    subq $120, %rsp\n";
    for (const char* reg : {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
                            "rax", "rcx", "rdx", "rsi", "rdi"})
        pops += std::string("    popq %") + reg + "\n";
    for (std::string_view core : {"znver3", "skylake", "sapphirerapids"}) {
        CAPTURE(core);
        auto model = model_for(core, Arch::x86_64);
        auto timing = model->time_call(straight_line(Arch::x86_64, pops));
        REQUIRE(timing);
        // Chained through RSP at the load latency the 15 pops would take at least 15 x 4 cycles;
        // issued in parallel they take about what the load ports allow.
        CHECK(timing->total.cycles_warm < 30);
        CHECK(timing->total.cycles_warm >= 8); // at most two loads a cycle on these cores
    }
}
