#include "sim/calibrate/calibrate.h"

#include "isa/disassembler.h"
#include "sim/calibrate/native.h"
#include "sim/calibrate/sandbox.h"
#include "sim/call_state.h"
#include "sim/harness.h"
#include "sim/machine.h"
#include "sim/runner.h"
#include "sim/trace_recorder.h"
#include "sim/trap.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#if defined(__linux__)
#include <sched.h>
#endif

namespace tracesim {

namespace {

// What the emulator computes for one call from the standard start state.
struct Emulated {
    uint64_t result = 0;
    uint64_t seen[4] = {};
    DynamicTrace trace;
};

Expected<Emulated> emulate(const Image& image, uint64_t budget = 100'000) {
    auto machine = Machine::create(image);
    if (!machine) return machine.take_error();
    Machine& m = **machine;
    TrapDelivery traps;
    m.set_trap_handler(&traps);
    TraceRecorder recorder(image);
    m.add_listener(&recorder);
    const Isa& isa = m.isa();
    auto harness = Harness::of(image, isa);
    if (!harness) return harness.take_error();
    if (auto ok = harness->call(m, budget); !ok) return ok.take_error();
    const uint64_t seen = *harness->handler_seen();
    Emulated out;
    out.result = m.read(*isa.reg(isa.ret_regs[0]));
    std::span<uint8_t> bytes(reinterpret_cast<uint8_t*>(out.seen), sizeof out.seen);
    if (auto ok = m.read_memory(seen, bytes); !ok) return ok.take_error();
    if (recorder.calls().empty()) return make_error("no call was recorded");
    out.trace = recorder.calls().back();
    return out;
}

std::string trim(std::string s) {
    for (char& c : s)
        if (c == '\t') c = ' ';
    s.erase(0, s.find_first_not_of(' '));
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    double at = q * double(v.size() - 1);
    size_t lo = size_t(std::floor(at)), hi = size_t(std::ceil(at));
    return v[lo] + (v[hi] - v[lo]) * (at - double(lo));
}

Spread spread_of(const std::vector<double>& v) {
    return {quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75)};
}

std::string cpu_description() {
    std::ifstream in("/proc/cpuinfo");
    std::string line, name, family, model, stepping;
    bool hypervisor = false, avx512 = false;
    while (std::getline(in, line)) {
        auto value = [&] { return trim(line.substr(line.find(':') + 1)); };
        if (line.rfind("model name", 0) == 0 && name.empty())
            name = value();
        else if (line.rfind("cpu family", 0) == 0 && family.empty())
            family = value();
        else if (line.rfind("model", 0) == 0 && line.find(':') != std::string::npos &&
                 model.empty() && trim(line.substr(0, line.find(':'))) == "model")
            model = value();
        else if (line.rfind("stepping", 0) == 0 && stepping.empty())
            stepping = value();
        else if (line.rfind("flags", 0) == 0) {
            hypervisor = hypervisor || line.find(" hypervisor") != std::string::npos;
            avx512 = avx512 || line.find(" avx512f") != std::string::npos;
        }
        if (line.empty() && !name.empty()) break; // the first CPU is enough
    }
    if (name.empty()) return "unknown CPU";
    std::string uarch;
    if (name.find("AMD") != std::string::npos && !family.empty() && !model.empty()) {
        int f = std::atoi(family.c_str()), m = std::atoi(model.c_str());
        if (f == 0x17)
            uarch = m >= 0x30 ? "Zen 2" : "Zen / Zen+";
        else if (f == 0x19)
            uarch = (m >= 0x10 && m <= 0x1f) || (m >= 0x60 && m <= 0xaf) ? "Zen 4" : "Zen 3";
        else if (f == 0x1a)
            uarch = "Zen 5";
    }
    return fmt::format("{} (family {} model {} stepping {}{}{}){}", name, family, model, stepping,
                       uarch.empty() ? "" : ": " + uarch, avx512 ? ", AVX-512" : "",
                       hypervisor ? ", virtual machine" : "");
}

std::string today() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
    return buffer;
}

#if defined(__x86_64__)
uint64_t rdtsc_now() {
    uint32_t lo, hi;
    asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t(hi) << 32) | lo;
}
#else
uint64_t rdtsc_now() {
    return 0;
}
#endif

// TSC ticks per microsecond against CLOCK_MONOTONIC_RAW over ~20 ms.
double measure_tsc_mhz() {
    timespec a{}, b{};
    clock_gettime(CLOCK_MONOTONIC_RAW, &a);
    uint64_t t0 = rdtsc_now();
    do
        clock_gettime(CLOCK_MONOTONIC_RAW, &b);
    while ((b.tv_sec - a.tv_sec) * 1'000'000'000ll + (b.tv_nsec - a.tv_nsec) < 20'000'000);
    uint64_t t1 = rdtsc_now();
    double ns = double((b.tv_sec - a.tv_sec) * 1'000'000'000ll + (b.tv_nsec - a.tv_nsec));
    return double(t1 - t0) / ns * 1000.0;
}

// Keeps the measuring process on the CPU it is on (the sandboxed child: nothing to restore).
void pin_to_current_cpu() {
#if defined(__linux__)
    int cpu = sched_getcpu();
    if (cpu < 0) return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    sched_setaffinity(0, sizeof one, &one);
#endif
}

struct SiteBytes {
    uint64_t address = 0;
    std::vector<uint8_t> untraced, traced;
};

// The seconds a sandboxed native run may take (the default 200k iterations take about one).
constexpr double native_time_limit = 120;

// What the child hands back: the native half of a PathCalibration, one field a line.
std::string native_payload(const PathCalibration& c) {
    std::string out =
        fmt::format("ok {} {} {}\n", c.functional_ok ? 1 : 0, c.native_result, c.emulated_result);
    out += fmt::format("seen {} {} {} {} {} {} {} {}\n", c.native_seen[0], c.native_seen[1],
                       c.native_seen[2], c.native_seen[3], c.emulated_seen[0], c.emulated_seen[1],
                       c.emulated_seen[2], c.emulated_seen[3]);
    for (const Spread* sp : {&c.traced_ticks, &c.untraced_ticks, &c.per_call_ticks})
        out += fmt::format("spread {:.17g} {:.17g} {:.17g}\n", sp->median, sp->p25, sp->p75);
    for (const std::string& p : c.problems)
        out += "problem " + p + "\n";
    return out;
}

void read_native_payload(const std::string& payload, PathCalibration& c) {
    std::istringstream lines(payload);
    Spread* spreads[] = {&c.traced_ticks, &c.untraced_ticks, &c.per_call_ticks};
    size_t spread = 0;
    for (std::string line; std::getline(lines, line);) {
        std::istringstream f(line);
        std::string key;
        f >> key;
        if (key == "ok") {
            int ok = 0;
            f >> ok >> c.native_result >> c.emulated_result;
            c.functional_ok = ok == 1;
        } else if (key == "seen") {
            for (uint64_t& v : c.native_seen)
                f >> v;
            for (uint64_t& v : c.emulated_seen)
                f >> v;
        } else if (key == "spread" && spread < 3) {
            Spread& sp = *spreads[spread++];
            f >> sp.median >> sp.p25 >> sp.p75;
        } else if (key == "problem") {
            c.problems.push_back(line.substr(8));
        }
    }
}

// Runs the path natively: functional check, then the timed rounds. In the sandboxed child only.
Expected<void> run_native(const Image& untraced, const SiteBytes& site, const Emulated& emu_traced,
                          const Emulated& emu_untraced, const PrivilegeScan& scan,
                          const CalibrateRequest& request, PathCalibration& out) {
    auto native = NativeImage::map(untraced);
    if (!native) return native.take_error();
    NativeImage& n = **native;
    if (scan.uses_gs)
        if (auto ok = n.use_gs_base(); !ok) return ok;
    static constexpr uint8_t nop[] = {0x90};
    for (uint64_t pc : scan.irq_toggles)
        if (auto ok = n.set_site(pc, nop); !ok) return ok;
    auto seen_address = untraced.address_of("handler_seen");
    uint8_t* seen = seen_address ? n.data_at(*seen_address) : nullptr;
    if (!seen) return make_error("handler_seen is not in the mapped data");
    // From here on the path's code runs: the filter first (sim/calibrate/sandbox.h). The image
    // is never unmapped (its destructor's arch_prctl is not allowed): the child just ends.
    pin_to_current_cpu();
    if (auto ok = enter_sandbox(); !ok) return ok;
    struct Leak {
        std::unique_ptr<NativeImage>& image;
        ~Leak() { (void)image.release(); }
    } leak{*native};

    // Functional: one traced call and one untraced call from a cleared handler_seen.
    if (auto ok = n.set_site(site.address, site.traced); !ok) return ok;
    std::memset(seen, 0, 32);
    NativeCall traced = n.call(traced_args[0], traced_args[1], traced_args[2]);
    std::memcpy(out.native_seen, seen, 32);
    if (auto ok = n.set_site(site.address, site.untraced); !ok) return ok;
    NativeCall plain = n.call(traced_args[0], traced_args[1], traced_args[2]);
    out.native_result = traced.result;
    out.emulated_result = emu_traced.result;
    std::memcpy(out.emulated_seen, emu_traced.seen, 32);
    if (traced.result != emu_traced.result)
        out.problems.push_back(fmt::format("native traced call returned {:#x}, emulated {:#x}",
                                           traced.result, emu_traced.result));
    if (plain.result != emu_untraced.result)
        out.problems.push_back(fmt::format("native untraced call returned {:#x}, emulated {:#x}",
                                           plain.result, emu_untraced.result));
    static const char* const names[] = {"a", "b", "c", "return value"};
    for (int i = 0; i < 4; ++i)
        if (out.native_seen[i] != out.emulated_seen[i])
            out.problems.push_back(fmt::format("handler saw {} = {:#x} natively, {:#x} emulated",
                                               names[i], out.native_seen[i], out.emulated_seen[i]));
    if (!traced.stack_balanced || !plain.stack_balanced)
        out.problems.push_back("native call left the stack unbalanced");
    out.functional_ok = out.problems.empty();
    if (!out.functional_ok || !request.measure) return {};

    // Timing: alternating rounds, each variant warmed up after its site is written.
    const int rounds = std::max(1, request.rounds);
    const uint64_t per_sample = uint64_t(std::max(1, request.calls_per_sample));
    const size_t per_round =
        size_t(std::max<int64_t>(1, request.iterations / rounds / int64_t(per_sample)));
    std::vector<uint64_t> samples(per_round), warm(1);
    std::vector<double> traced_medians, untraced_medians, differences, per_call(per_round);
    for (int r = 0; r < rounds; ++r) {
        double medians[2] = {};
        for (int k = 0; k < 2; ++k) {
            const bool is_traced = (r % 2 == 0) == (k == 1); // untraced first on even rounds
            if (auto ok = n.set_site(site.address, is_traced ? site.traced : site.untraced); !ok)
                return ok;
            if (request.warmup > 0)
                n.time(warm, uint64_t(request.warmup), traced_args[0], traced_args[1],
                       traced_args[2]);
            n.time(samples, per_sample, traced_args[0], traced_args[1], traced_args[2]);
            for (size_t i = 0; i < per_round; ++i)
                per_call[i] = double(samples[i]) / double(per_sample);
            medians[is_traced] = quantile(per_call, 0.5);
        }
        untraced_medians.push_back(medians[0]);
        traced_medians.push_back(medians[1]);
        differences.push_back(medians[1] - medians[0]);
    }
    out.traced_ticks = spread_of(traced_medians);
    out.untraced_ticks = spread_of(untraced_medians);
    out.per_call_ticks = spread_of(differences);
    return {};
}

} // namespace

// The allow-list: what a path's code may be made of to run natively (in the sandboxed child,
// which stops anything else that reaches the kernel). LLVM's AT&T mnemonics, by prefix.
bool runs_natively(std::string_view mnemonic) {
    static const char* const allowed[] = {
        "mov",   "add",    "sub",     "adc",   "sbb",    "and",    "or",       "xor",   "not",
        "neg",   "inc",    "dec",     "cmp",   "test",   "sh",     "sa",       "ro",    "j",
        "set",   "cmov",   "imul",    "mul",   "div",    "idiv",   "bt",       "bs",    "lzcnt",
        "tzcnt", "popcnt", "lock",    "rep",   "stos",   "lea",    "push",     "pop",   "call",
        "ret",   "nop",    "endbr64", "leave", "lfence", "mfence", "sfence",   "pause", "cltq",
        "cqto",  "cwtl",   "cltd",    "xchg",  "xadd",   "rdtsc",  "prefetch", "cld"};
    for (const char* prefix : allowed)
        if (mnemonic.starts_with(prefix)) return true;
    return false;
}

PrivilegeScan scan_for_privileged(const DynamicTrace& trace) {
    static const std::set<std::string, std::less<>> privileged = {
        "iretq",   "iretl", "iret",   "sysretq", "sysretl",  "sysexitq", "sysexitl", "swapgs",
        "wrmsr",   "rdmsr", "hlt",    "lgdtq",   "lidtq",    "lgdt",     "lidt",     "lldt",
        "lldtw",   "ltr",   "ltrw",   "invlpg",  "invlpga",  "invpcid",  "wbinvd",   "invd",
        "clts",    "lmsw",  "lmsww",  "rdpmc",   "xsetbv",   "monitor",  "mwait",    "vmcall",
        "vmmcall", "sgdt",  "sgdtq",  "sidt",    "sidtq",    "sldt",     "sldtw",    "smsw",
        "smsww",   "str",   "strw",   "inb",     "inw",      "inl",      "outb",     "outw",
        "outl",    "insb",  "insw",   "insl",    "outsb",    "outsw",    "outsl",    "lretq",
        "lretl",   "lret",  "lcallq", "ljmpq",   "wrfsbase", "wrgsbase"};
    static const std::set<std::string, std::less<>> traps = {"int3", "int", "into", "ud2",
                                                             "ud1",  "ud0", "int1"};
    Disassembler disassembler(Arch::x86_64);
    PrivilegeScan scan;
    std::map<std::string, std::string> found; // mnemonic -> where first
    std::set<uint64_t> seen_pcs;
    bool popf = false;
    for (const TraceInstruction& i : trace.instructions) {
        if (!seen_pcs.insert(i.pc).second && !i.trapped) continue;
        auto decoded = disassembler.decode(std::span(i.bytes.data(), i.size), i.pc);
        std::string text = decoded ? trim(decoded->text) : "(not decoded)";
        std::string mnemonic = text.substr(0, text.find(' '));
        auto note = [&](const std::string& why) { found.emplace(why, fmt::format("{:#x}", i.pc)); };
        if (i.trapped)
            note(fmt::format(
                "{} traps (the kernel takes the exception; in user mode it is a signal)",
                mnemonic));
        else if (traps.count(mnemonic))
            note(fmt::format("{} traps to the kernel in user mode", mnemonic));
        else if ((mnemonic == "cli" || mnemonic == "sti") && i.size == 1)
            scan.irq_toggles.push_back(i.pc);
        else if (privileged.count(mnemonic))
            note(fmt::format("{} is privileged (#GP at CPL 3)", mnemonic));
        else if (text.find("%cr") != std::string::npos || text.find("%dr") != std::string::npos)
            note(fmt::format("'{}' moves a control/debug register (privileged)", text));
        else if (mnemonic.rfind("mov", 0) == 0 &&
                 (text.ends_with("%ss") || text.ends_with("%ds") || text.ends_with("%es") ||
                  text.ends_with("%fs") || text.ends_with("%gs")))
            note(fmt::format("'{}' loads a segment register (kernel selectors fault in user mode)",
                             text));
        else if (text.find("%fs:") != std::string::npos)
            note("a %fs-relative access (the host's thread pointer)");
        else if (!runs_natively(mnemonic))
            note(fmt::format("'{}' is not an instruction native calibration runs (an allow-list: "
                             "moves, arithmetic, branches, calls, the stack, fences, atomics; "
                             "docs/reliability.md)",
                             mnemonic));
        if (text.find("%gs:") != std::string::npos) scan.uses_gs = true;
        if (mnemonic.rfind("popf", 0) == 0) popf = true;
    }
    std::vector<std::string> reasons;
    for (const auto& [why, where] : found)
        reasons.push_back(fmt::format("{} (first at {})", why, where));
    scan.reason = fmt::format("{}", fmt::join(reasons, "; "));
    if (popf)
        scan.notes.push_back(
            "popfq runs natively: at CPL 3 its IF/IOPL bits are ignored without a fault, and the "
            "flags it restores are the ones the path pushed, so results are unchanged");
    if (!scan.irq_toggles.empty())
        scan.notes.push_back(
            "cli/sti (local_irq_save/restore) run as NOPs natively: privileged at CPL 3, and the "
            "host's interrupts are not the path's to mask; their own cost is left out");
    if (scan.uses_gs)
        scan.notes.push_back(
            "%gs-relative accesses: the GS base is set to CPU 0's per-CPU offset, as emulated");
    return scan;
}

std::optional<double> CalibrationReport::mean_absolute_error() const {
    double sum = 0;
    int n = 0;
    for (const PathCalibration& p : paths)
        if (p.error_percent) {
            sum += std::fabs(*p.error_percent);
            ++n;
        }
    if (n == 0) return std::nullopt;
    return sum / n;
}

int CalibrationReport::ratio_paths() const {
    int n = 0;
    for (const PathCalibration& p : paths)
        n += p.ratio_to_ftrace && !p.is_ratio_reference;
    return n;
}

std::optional<double> CalibrationReport::mean_absolute_ratio_error() const {
    double sum = 0;
    for (const PathCalibration& p : paths)
        if (p.ratio_to_ftrace && !p.is_ratio_reference)
            sum += std::fabs(p.ratio_to_ftrace->error_percent);
    int n = ratio_paths();
    if (n == 0) return std::nullopt;
    return sum / n;
}

namespace {

// Every path's ratio to ftrace (the first ftrace found, when it was measured and modeled).
void add_ratios(CalibrationReport& report) {
    auto it = std::find_if(report.paths.begin(), report.paths.end(),
                           [](const PathCalibration& p) { return p.path == "ftrace"; });
    if (it == report.paths.end() || !it->per_call_cycles || it->model_warm <= 0) return;
    const PathCalibration& ref = *it;
    it->is_ratio_reference = true;
    for (PathCalibration& p : report.paths) {
        if (!p.per_call_cycles || *ref.per_call_cycles <= 0) continue;
        double measured = *p.per_call_cycles / *ref.per_call_cycles;
        double modeled = double(p.model_warm) / double(ref.model_warm);
        if (measured <= 0) continue;
        p.ratio_to_ftrace = CalibrationRatio{measured, modeled, (modeled / measured - 1) * 100};
    }
}

} // namespace

const PathCalibration* CalibrationReport::find(std::string_view path,
                                               std::string_view kernel) const {
    for (const PathCalibration& p : paths)
        if (p.path == path && (kernel.empty() || p.kernel == kernel)) return &p;
    return nullptr;
}

Expected<CalibrationReport> calibrate(const Catalogue& catalogue, const CalibrateRequest& request) {
    auto handler = catalogue.find_handler(request.handler);
    if (!handler) return handler.take_error();
    auto profiles = core_profiles();
    if (!profiles) return profiles.take_error();
    if (auto core = find_core(**profiles, request.core, Arch::x86_64); !core)
        return core.take_error();
    if (request.iterations < 1 || request.rounds < 1)
        return usage_error("--iterations and --rounds must be positive");

    std::vector<const PathSpec*> chosen;
    const bool every =
        request.paths.empty() || (request.paths.size() == 1 && request.paths[0] == "all");
    for (const std::string& name : request.paths) {
        if (every) break;
        if (auto spec = catalogue.find_path(name, Arch::x86_64, request.kernel); !spec)
            return spec.take_error();
    }
    for (const PathSpec& spec : catalogue.paths) {
        if (spec.arch != Arch::x86_64 || spec.name == "none") continue;
        if (!every &&
            std::find(request.paths.begin(), request.paths.end(), spec.name) == request.paths.end())
            continue;
        if (!request.kernel.empty() && spec.kernel != request.kernel) continue;
        chosen.push_back(&spec);
    }

    CalibrationReport report;
    report.date = today();
    report.cpu = cpu_description();
    report.core = request.core;
    report.iterations = request.iterations;
    report.rounds = request.rounds;
    const bool native = native_supported();
    if (native && request.measure) {
        report.tsc_mhz = measure_tsc_mhz();
        report.tsc_per_cycle = measure_tsc_per_cycle();
        report.tsc_per_cycle_imul = measure_tsc_per_cycle_imul();
    }

    for (const PathSpec* spec : chosen) {
        PathCalibration out;
        out.path = spec->name;
        out.kernel = spec->kernel;
        if (!spec->supported) {
            out.reason = "not supported by the kernel: " + spec->reason;
            report.paths.push_back(std::move(out));
            continue;
        }
        RunRequest run{Arch::x86_64, spec->name, spec->kernel, (*handler)->name};
        run.core = request.core;
        auto record = run_path(catalogue, run);
        if (!record) return record.take_error();
        if (record->cycles_per_call) {
            out.model_warm = record->cycles_per_call->cycles_warm;
            out.model_cold = record->cycles_per_call->cycles_cold;
        }
        auto untraced = build_image(catalogue, *spec, **handler);
        if (!untraced) return untraced.take_error();
        Image traced = *untraced;
        SiteBytes site;
        if (!spec->site.empty()) {
            auto range = traced.phase_range(spec->site_at);
            if (!range) return make_error("{}: no site {}", spec->defined_at, spec->site_at);
            if (auto ok = traced.patch(range->first, range->second - range->first, spec->site,
                                       "site patch");
                !ok)
                return ok.take_error();
            site.address = range->first;
            const size_t offset = range->first - untraced->layout.text_base,
                         size = range->second - range->first;
            site.untraced.assign(untraced->text.begin() + offset,
                                 untraced->text.begin() + offset + size);
            site.traced.assign(traced.text.begin() + offset, traced.text.begin() + offset + size);
        }
        auto emu_traced = emulate(traced);
        if (!emu_traced)
            return make_error("x86_64 {} (kernel {}) emulated: {}", spec->name, spec->kernel,
                              emu_traced.error().message);
        auto emu_untraced = emulate(*untraced);
        if (!emu_untraced) return make_error("x86_64 untraced: {}", emu_untraced.error().message);
        PrivilegeScan scan = scan_for_privileged(emu_traced->trace);
        out.notes = scan.notes;
        if (!scan.reason.empty()) {
            out.reason = scan.reason;
        } else if (!record->checks.callee_saved || !record->checks.stack_balanced) {
            // The native loop keeps its state in callee-saved registers and on the image's stack.
            out.reason = "the emulated call does not keep callee-saved registers and the stack: "
                         "running it in "
                         "the tracesim process would corrupt it";
        } else if (!native) {
            out.reason = "native runs need an x86_64 Linux host";
        } else {
            out.calibratable = true;
        }
        if (out.calibratable) {
            // In a sandboxed child: the code is not ours to trust (sim/calibrate/sandbox.h).
            auto payload = run_sandboxed(
                [&] {
                    PathCalibration child = out;
                    auto ok = run_native(*untraced, site, *emu_traced, *emu_untraced, scan, request,
                                         child);
                    return ok ? native_payload(child) : "error " + ok.error().message;
                },
                native_time_limit);
            if (!payload) {
                out.calibratable = false;
                out.reason = payload.error().message;
            } else if (payload->starts_with("error ")) {
                return make_error("x86_64 {} (kernel {}) native: {}", spec->name, spec->kernel,
                                  payload->substr(6));
            } else {
                read_native_payload(*payload, out);
            }
        }
        if (out.calibratable) {
            if (out.functional_ok && request.measure && report.tsc_per_cycle > 0) {
                out.per_call_cycles = out.per_call_ticks.median / report.tsc_per_cycle;
                if (std::fabs(*out.per_call_cycles) >= 0.5)
                    out.error_percent = (double(out.model_warm) - *out.per_call_cycles) /
                                        *out.per_call_cycles * 100.0;
            }
        }
        report.paths.push_back(std::move(out));
    }
    add_ratios(report);
    return report;
}

} // namespace tracesim
