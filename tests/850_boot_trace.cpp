// The booted-kernel trace source without booting: the plugin's trace format, finding the probed
// function's calls in a window, cutting an interrupt out, phases from symbols, the console
// protocol, the plan and the initramfs. Synthetic streams with the kernel's own symbol names.
#include "boot_trace_writer.h"
#include "report/boot.h"
#include "sim/boot/boot.h"
#include "sim/boot/calls.h"
#include "sim/boot/console.h"
#include "sim/boot/guest_arch.h"
#include "sim/boot/initramfs.h"
#include "sim/boot/phases.h"
#include "sim/boot/rules.h"
#include "sim/boot/trace_file.h"
#include "sim/catalogue.h"
#include "sim/counters.h"

#include <cstring>
#include <doctest/doctest.h>

using namespace tracesim;
using namespace tracesim::test::boot;

namespace {

KernelSymbols x86_symbols() {
    KernelSymbols s;
    for (const char* line : {"0000000000001000 T do_syscall_64",
                             "0000000000002000 T __x64_sys_getpid",
                             "0000000000002100 T __task_pid_nr_ns",
                             "0000000000003000 t ftrace_trampoline\t[__builtin__ftrace]",
                             "0000000000004000 T kprobe_ftrace_handler",
                             "0000000000004100 T kprobe_dispatcher",
                             "0000000000004200 T ring_buffer_lock_reserve",
                             "0000000000005000 T asm_sysvec_apic_timer_interrupt",
                             "0000000000006000 T sysvec_apic_timer_interrupt"})
        REQUIRE(s.add_line(line));
    s.seal();
    return s;
}

// One call of __x64_sys_getpid with a kprobe on ftrace; a timer interrupt lands in the handler
// when `interrupted`.
std::vector<uint8_t> kprobe_call_trace(bool interrupted, int calls = 1) {
    TraceWriter t;
    t.window('A', 0);
    for (int i = 0; i < calls; ++i) {
        t.exec(0x1000, call, {{'S', 0x9ff8}});             // do_syscall_64: call the function
        t.exec(0x2000, call, {{'S', 0x9ff0}});             // site: call ftrace_trampoline
        t.exec(0x3000, push, {{'S', 0x9fe8}});             // save
        t.exec(0x3001, call, {{'S', 0x9fe0}});             // save: call the ops func
        t.exec(0x4000, call, {{'S', 0x9fd8}});             // dispatch: call the pre-handler
        t.exec(0x4100, call, {{'S', 0x9fd0}});             // handler: into the ring buffer
        t.exec(0x4200, nop);                               // (inherits handler)
        if (interrupted) {
            t.exec(0x5000, push, {{'S', 0x9f00}});         // the timer's vector
            t.exec(0x5001, call, {{'S', 0x9ef8}});
            t.exec(0x6000, ret, {{'L', 0x9ef8}});
            t.exec(0x5006, iretq, {{'L', 0x9f08}});
        }
        t.exec(0x4201, ret, {{'L', 0x9fd0}});
        t.exec(0x4105, ret, {{'L', 0x9fd8}});
        t.exec(0x4005, ret, {{'L', 0x9fe0}});
        t.exec(0x3006, pop, {{'L', 0x9fe8}});              // restore
        t.exec(0x3007, ret, {{'L', 0x9ff0}});
        t.exec(0x2005, call, {{'S', 0x9ff0}});             // body: call __task_pid_nr_ns
        t.exec(0x2100, ret, {{'L', 0x9ff0}});              // (inherits body)
        t.exec(0x200a, ret, {{'L', 0x9ff8}});
        t.exec(0x1005, nop);                               // back in the caller: the call ended
    }
    t.window('D', 0);
    return t.bytes;
}

} // namespace

TEST_CASE("the plugin's trace file: windows, instructions and their accesses") {
    auto windows = parse_boot_trace(kprobe_call_trace(false));
    REQUIRE_MESSAGE(windows, (windows ? "" : windows.error().message));
    REQUIRE(windows->size() == 1);
    const BootWindow& w = windows->front();
    CHECK(w.closed);
    CHECK_FALSE(w.overflowed);
    CHECK(w.stream.size() == 16);
    CHECK(w.stream[0].pc == 0x1000);
    CHECK(w.stream[0].access_count == 1);
    CHECK(w.accesses[w.stream[0].first_access].is_store);

    std::vector<uint8_t> bad = kprobe_call_trace(false);
    bad.resize(bad.size() - 3);
    auto truncated = parse_boot_trace(bad);
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().message.find("truncated") != std::string::npos);
    CHECK_FALSE(parse_boot_trace(std::vector<uint8_t>{'n', 'o', 'p', 'e'}));
}

TEST_CASE("a call is found from entry to the caller's return address, by phase") {
    auto windows = parse_boot_trace(kprobe_call_trace(false));
    REQUIRE(windows);
    KernelSymbols symbols = x86_symbols();
    auto calls = find_calls(windows->front(), symbols, x86_rules(), 0x2000);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].complete);
    CHECK(calls[0].return_address == 0x1005);
    CHECK(calls[0].return_slot == 0x9ff8);
    CHECK(calls[0].stream.size() == 14);
    CHECK(calls[0].interrupts_cut == 0);

    BootedCallTrace t = booted_trace(windows->front(), calls[0], symbols, x86_rules(), 0x2000);
    CHECK(phase_instructions(t.trace, Phase::site) == 1);
    CHECK(phase_instructions(t.trace, Phase::save) == 2);
    CHECK(phase_instructions(t.trace, Phase::dispatch) == 2);
    CHECK(phase_instructions(t.trace, Phase::handler) == 4);
    CHECK(phase_instructions(t.trace, Phase::restore) == 2);
    CHECK(phase_instructions(t.trace, Phase::body) == 3);
    CHECK(t.unmapped.empty());
    CHECK(t.trace.next_pc == 0x1005);

    // Counted through the same tallies as a model's call.
    Counters counters;
    counters.count_trace(t.trace, 0xa000, 0x2000);
    CHECK(counters.total().instructions == 14);
    CHECK(counters.phase(Phase::save).stores == 2);
    CHECK(counters.phase(Phase::restore).loads == 2);
}

TEST_CASE("an interrupt inside a call is cut out and counted") {
    auto clean = parse_boot_trace(kprobe_call_trace(false, 3));
    auto noisy = parse_boot_trace(kprobe_call_trace(true, 3));
    REQUIRE(clean);
    REQUIRE(noisy);
    KernelSymbols symbols = x86_symbols();
    auto a = find_calls(clean->front(), symbols, x86_rules(), 0x2000);
    auto b = find_calls(noisy->front(), symbols, x86_rules(), 0x2000);
    REQUIRE(a.size() == 3);
    REQUIRE(b.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(b[i].complete);
        CHECK(b[i].interrupts_cut == 1);
        CHECK(b[i].interrupt_instructions == 4);
        CHECK(b[i].stream.size() == a[i].stream.size());
        auto ta = booted_trace(clean->front(), a[i], symbols, x86_rules(), 0x2000);
        auto tb = booted_trace(noisy->front(), b[i], symbols, x86_rules(), 0x2000);
        CHECK(phase_instructions(ta.trace, Phase::handler) ==
              phase_instructions(tb.trace, Phase::handler));
    }
}

TEST_CASE("code the site calls that no rule names is shown as unmapped") {
    TraceWriter t;
    t.window('A', 3);
    t.exec(0x1000, call, {{'S', 0x9ff8}});
    t.exec(0x2000, call, {{'S', 0x9ff0}}); // the site calls something no rule names
    t.exec(0x6000, ret, {{'L', 0x9ff0}});
    t.exec(0x2005, ret, {{'L', 0x9ff8}});
    t.exec(0x1005, nop);
    t.window('D', 3);
    auto windows = parse_boot_trace(t.bytes);
    REQUIRE(windows);
    CHECK(windows->front().index == 3);
    KernelSymbols symbols = x86_symbols();
    auto calls = find_calls(windows->front(), symbols, x86_rules(), 0x2000);
    REQUIRE(calls.size() == 1);
    BootedCallTrace trace = booted_trace(windows->front(), calls[0], symbols, x86_rules(), 0x2000);
    CHECK(phase_instructions(trace.trace, Phase::unmapped) == 1);
    CHECK(trace.unmapped.at("sysvec_apic_timer_interrupt") == 1);
}

TEST_CASE("an endbr64 moves the site to +4") {
    TraceWriter t;
    t.window('A', 0);
    t.exec(0x1000, call, {{'S', 0x9ff8}});
    t.exec(0x2000, {0xf3, 0x0f, 0x1e, 0xfa}); // endbr64: body
    t.exec(0x2004, nop5);                     // the site
    t.exec(0x2009, ret, {{'L', 0x9ff8}});
    t.exec(0x1005, nop);
    t.window('D', 0);
    auto windows = parse_boot_trace(t.bytes);
    REQUIRE(windows);
    KernelSymbols symbols = x86_symbols();
    auto calls = find_calls(windows->front(), symbols, x86_rules(), 0x2000);
    REQUIRE(calls.size() == 1);
    auto trace = booted_trace(windows->front(), calls[0], symbols, x86_rules(), 0x2000);
    CHECK(trace.trace.instructions[0].phase == Phase::body);
    CHECK(trace.trace.instructions[1].phase == Phase::site);
    CHECK(trace.trace.instructions[2].phase == Phase::body);
}

TEST_CASE("every arch has a guest entry: QEMU, console, header, and its calls and returns") {
    for (Arch arch : all_arches) {
        const GuestArch& guest = guest_arch(arch);
        CHECK(guest.arch == arch);
        CHECK(!guest.qemu_program.empty());
        CHECK(!guest.console.empty());
        CHECK(!guest.header_magic.empty());
    }
    const GuestArch& x86 = guest_arch(Arch::x86_64);
    CHECK(x86.classify(std::vector<uint8_t>{0xe8, 0, 0, 0, 0}) == Flow::call);
    CHECK(x86.classify(std::vector<uint8_t>{0x41, 0xff, 0xd3}) == Flow::call); // call *%r11
    CHECK(x86.classify(std::vector<uint8_t>{0xc3}) == Flow::ret);
    CHECK(x86.classify(std::vector<uint8_t>{0x48, 0xcf}) == Flow::exception_return);
    CHECK(x86.classify(std::vector<uint8_t>{0xcf}) == Flow::other); // iret (32-bit), not iretq
    CHECK(x86.classify(std::vector<uint8_t>{0xff, 0xe0}) == Flow::other); // jmp *%rax
    // x86's entry SP is just above the return slot.
    DynamicTrace none;
    CHECK(x86.stack_range(0x10000, none) == std::pair<uint64_t, uint64_t>{0x10008, 0x8008});
    const GuestArch& arm = guest_arch(Arch::arm64);
    auto word = [](uint32_t w) {
        return std::vector<uint8_t>{uint8_t(w), uint8_t(w >> 8), uint8_t(w >> 16),
                                    uint8_t(w >> 24)};
    };
    CHECK(arm.classify(word(0x94000010)) == Flow::call);             // bl
    CHECK(arm.classify(word(0xd63f0200)) == Flow::call);             // blr x16
    CHECK(arm.classify(word(0xd65f03c0)) == Flow::ret);              // ret
    CHECK(arm.classify(word(0xd69f03e0)) == Flow::exception_return); // eret
    CHECK(arm.classify(word(0xd61f0200)) == Flow::other);            // br x16
    // arm64 estimates the entry SP from the highest SP-based access: stp x29, x30, [sp, #-16]!
    DynamicTrace frame;
    TraceInstruction stp{};
    const std::vector<uint8_t> bytes = word(0xa9bf7bfd);
    std::copy(bytes.begin(), bytes.end(), stp.bytes.begin());
    stp.access_count = 2;
    frame.instructions.push_back(stp);
    frame.accesses.push_back(
        TraceAccess{.address = 0x20000 - 16, .size = 8, .is_store = true, .by_hardware = false});
    frame.accesses.push_back(
        TraceAccess{.address = 0x20000 - 8, .size = 8, .is_store = true, .by_hardware = false});
    CHECK(arm.stack_range(0, frame).first == 0x20000);
    CHECK(x86.return_address_in_memory);
    CHECK(!arm.return_address_in_memory);
}

TEST_CASE("the console protocol: symbols, refusals, windows, hits") {
    const char* console =
        "\x1b[?7lSeaBIOS noise\n"
        "@@TS hello release=6.1.0-57-cloud-amd64 machine=x86_64 cmdline=\"console=ttyS0 nokaslr\"\n"
        "@@TS syms begin\n"
        "ffffffff81000000 T _stext\n"
        "ffffffff810be350 T __x64_sys_getpid\n"
        "@@TS syms end count=2\n"
        "@@TS path name=none\n"
        "@@TS window path=none index=0 calls=20\n"
        "@@TS windowend path=none index=0\n"
        "@@TS hits path=none n=0\n"
        "@@TS path name=fprobe\n"
        "@@TS fail path=fprobe step=\"write dynamic_events f:tracesim __x64_sys_getpid\" errno=2 "
        "err=\"No such file or directory\" log=\"\"\n"
        "@@TS path name=kprobe\n"
        "@@TS sym ffffffffc0000000 t ftrace_trampoline [__builtin__ftrace]\n"
        "@@TS kprobe ffffffff810be350  k  __x64_sys_getpid+0x0    [FTRACE]\n"
        "@@TS window path=kprobe index=1 calls=20\n"
        "@@TS windowend path=kprobe index=1\n"
        "@@TS hits path=kprobe n=20\n"
        "[    9.1] reboot: Power down\n"
        "@@TS done\n";
    ConsoleLog log = parse_console(console);
    CHECK(log.done);
    CHECK(log.release == "6.1.0-57-cloud-amd64");
    CHECK(log.cmdline == "console=ttyS0 nokaslr");
    CHECK(log.symbols.size() == 2);
    CHECK(log.symbols_announced == 2);
    CHECK(log.symbols.address_of("__x64_sys_getpid") == 0xffffffff810be350);
    REQUIRE(log.find("fprobe"));
    CHECK(log.find("fprobe")->failure ==
          "write dynamic_events f:tracesim __x64_sys_getpid: No such file or directory");
    CHECK_FALSE(log.find("fprobe")->window);
    const ConsolePath* kprobe = log.find("kprobe");
    REQUIRE(kprobe);
    CHECK(kprobe->window == 1u);
    CHECK(kprobe->window_closed);
    CHECK(kprobe->hits == 20);
    REQUIRE(kprobe->run_time_symbols.size() == 1);
    CHECK(kprobe->run_time_symbols[0].module == "__builtin__ftrace");
    CHECK(log.tail.back() == "[    9.1] reboot: Power down");
}

TEST_CASE("the plan expands the function and the body probe's alternatives") {
    auto catalogue = load_boot_paths(tracesim_home() / "boot" / "paths.toml");
    REQUIRE_MESSAGE(catalogue, (catalogue ? "" : catalogue.error().message));
    PlanRequest request{Arch::x86_64};
    request.calls = 7;
    for (const char* name : {"none", "ftrace", "kprobe-body"})
        request.paths.push_back(catalogue->find(name));
    auto plan = write_plan(*catalogue, request);
    REQUIRE(plan);
    CHECK(plan->find("calls 7\nsyscall getpid\nsyms 1\n") != std::string::npos);
    CHECK(plan->find("path none\nrun\n") != std::string::npos);
    CHECK(plan->find("write set_ftrace_filter __x64_sys_getpid || __do_sys_getpid\n") !=
          std::string::npos);
    CHECK(plan->find("write kprobe_events p:tracesim __x64_sys_getpid+5 || p:tracesim "
                     "__x64_sys_getpid+9\n") != std::string::npos);
    request.syscall = "reboot";
    CHECK_FALSE(write_plan(*catalogue, request));

    // Before 6.14 an fprobe ran on ftrace + rethook: another model stands next to it.
    const BootPath* fprobe = catalogue->find("fprobe");
    REQUIRE(fprobe);
    REQUIRE(fprobe->model_before.size() == 1);
    CHECK(fprobe->model_before[0] == std::pair<std::string, std::string>{"6.14", "fprobe-rethook"});
    CHECK(fprobe->needs_config == std::vector<std::string>{"CONFIG_FPROBE_EVENTS"});
}

TEST_CASE("the initramfs is a newc archive the kernel can unpack") {
    Initramfs fs;
    fs.directory("proc");
    fs.file("init", {'#', '!'}, 0755);
    fs.symlink("bin/sh", "busybox");
    fs.char_device("dev/console", 5, 1);
    std::vector<uint8_t> bytes = fs.bytes();
    std::string text(bytes.begin(), bytes.end());
    CHECK(text.starts_with("070701"));
    CHECK(bytes.size() % 4 == 0);
    CHECK(text.find("TRAILER!!!") != std::string::npos);
    // The console node: mode 020600, rdev 5:1 (fields 2, 11 and 12 of the header).
    size_t at = text.find("dev/console") - 110;
    CHECK(text.substr(at + 14, 8) == "00002180");
    CHECK(text.substr(at + 78, 8) == "00000005");
    CHECK(text.substr(at + 86, 8) == "00000001");
}

TEST_CASE("the nearest era is the newest one not newer than the release") {
    std::vector<std::string> eras = {"6.1", "6.14", "6.19"};
    CHECK(nearest_era(eras, "6.1.0-57-cloud-amd64") == "6.1");
    CHECK(nearest_era(eras, "6.12.117+deb13-cloud-arm64") == "6.1");
    CHECK(nearest_era(eras, "7.3.4+deb13-cloud-amd64") == "6.19");
    CHECK(nearest_era(eras, "5.10.0-30-amd64") == "6.1");
}

TEST_CASE("the boot view puts kernel A next to kernel B, phase by phase") {
    auto booted = [](const std::string& release, int64_t save) {
        Record r{Arch::x86_64, "kprobe", release};
        r.source = "boot";
        r.core = "znver3";
        r.phases = {{Phase::site, {1}}, {Phase::save, {save}}, {Phase::body, {67}}};
        r.per_call.instructions = 1 + save;
        r.cycles_per_call = CycleMetrics{};
        r.cycles_per_call->cycles_warm = 10 * save;
        BootInfo info;
        info.release = release;
        info.calls_kept = 19;
        info.calls_interrupted = 2;
        info.interrupts_cut = 3;
        info.cold_instructions = 900;
        info.hits = 20;
        info.functions = {{"kprobe_ftrace_handler", Phase::dispatch, 83}};
        r.boot = info;
        return r;
    };
    BootReport report;
    report.kernels.push_back({Arch::x86_64, "Debian 6.1.0-57-cloud-amd64", "6.1.0-57-cloud-amd64",
                              "7.2.22", "console=ttyS0", "__x64_sys_getpid", 12.5, true});
    BootRow row{booted("6.1.0-57-cloud-amd64", 34), booted("7.3.4+deb13-cloud-amd64", 36),
                "Debian 6.1", "Debian 7.3"};
    report.rows.push_back(row);
    std::string text = render_boot(report, Format::text);
    CHECK(text.find("x86_64 kprobe: Debian 6.1 vs Debian 7.3") != std::string::npos);
    CHECK(text.find("(2 with 3 interrupts cut out)") != std::string::npos);
    CHECK(text.find("the probe wrote 20 events") != std::string::npos);
    CHECK(text.find("kprobe_ftrace_handler 83 (dispatch)") != std::string::npos);
    CHECK(text.find("instrs A") != std::string::npos);
    CHECK(text.find("instrs B") != std::string::npos);
    // The save row: 34 on A, 36 on B, +2.
    size_t save = text.find("\nsave ");
    REQUIRE(save != std::string::npos);
    std::string line = text.substr(save + 1, text.find('\n', save + 1) - save - 1);
    CHECK(line.find("34") != std::string::npos);
    CHECK(line.find("36") != std::string::npos);
    CHECK(line.find("+2") != std::string::npos);
    CHECK(text.find("cycles per call (znver3, warm / cold): A 340 / 0, B 360 / 0") !=
          std::string::npos);

    BootRow refused{booted("6.1.0-57-cloud-amd64", 0), std::nullopt, "Debian 6.1", ""};
    refused.booted.supported = false;
    refused.booted.reason = "the kernel refused it: write dynamic_events f:tracesim x: Invalid argument";
    report.rows = {refused};
    CHECK(render_boot(report, Format::markdown).find("not run on Debian 6.1: the kernel refused it") !=
          std::string::npos);
}

// An fentry hit on bpf_get_numa_node_id as the kernel runs it: the site calls the BPF
// trampoline, which saves, calls __bpf_prog_enter_recur, the JITed program and
// __bpf_prog_exit_recur, then restores and returns into the body. And a kprobe hit whose
// dispatcher hands it to trace_call_bpf.
TEST_CASE("booted paths: the BPF bench's have their function, baseline and group, and bpf steps") {
    auto catalogue = load_boot_paths(tracesim_home() / "boot" / "paths.toml");
    REQUIRE_MESSAGE(catalogue, (catalogue ? "" : catalogue.error().message));
    const BootPath* fmodret = catalogue->find("trig-fmodret");
    REQUIRE(fmodret);
    CHECK(fmodret->function == "bpf_modify_return_test_tp");
    CHECK(fmodret->baseline == "trig-base-kfunc");
    CHECK(fmodret->group == "bpf-bench");
    CHECK(catalogue->find("kprobe")->baseline == "none");
    PlanRequest plan{Arch::x86_64};
    plan.paths = {catalogue->find("trig-base"), fmodret};
    auto text = write_plan(*catalogue, plan);
    REQUIRE(text);
    CHECK(text->find("bpf fmod_ret count_einval bpf_modify_return_test_tp\nbpf driver driver_kfunc\nrun\n") !=
          std::string::npos);
}
