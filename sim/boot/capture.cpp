// boot_and_capture: one boot of a kernel under QEMU with our plugin and agent, and each booted
// path's calls read from the plugin's trace (sim/boot/boot.h).
#include "base/output.h"
#include "sim/boot/boot.h"
#include "sim/boot/calls.h"
#include "sim/boot/console.h"
#include "sim/boot/guest_arch.h"
#include "sim/boot/host.h"
#include "sim/boot/initramfs.h"
#include "sim/boot/process.h"
#include "sim/boot/rules.h"
#include "sim/boot/trace_file.h"
#include "sim/catalogue.h"
#include "sim/counters.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <sstream>

namespace tracesim {

namespace fs = std::filesystem;
using namespace boot_host;

namespace {

// The kprobes/list line's address, as an offset into the function ("ffffffff810be355  k ...").
std::optional<uint64_t> probe_offset_from(const std::vector<std::string>& kprobes, uint64_t entry) {
    for (const std::string& line : kprobes) {
        uint64_t address = 0;
        if (sscanf(line.c_str(), "%lx", &address) == 1 && address >= entry &&
            address - entry < 0x1000)
            return address - entry;
    }
    return std::nullopt;
}

// The options a .config sets (=y or =m); empty when there is no config.
std::set<std::string> config_options(const fs::path& config) {
    std::set<std::string> set;
    if (config.empty()) return set;
    std::istringstream lines(read_text_file(config));
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with("CONFIG_") && (line.ends_with("=y") || line.ends_with("=m")))
            set.insert(line.substr(0, line.find('=')));
    return set;
}

// The steady state: the median by instructions of the calls after the cold one; among the
// calls with that count, the one whose memory footprint (accesses, bytes, lines) is the most
// common (ties: the smaller). Calls with equal counts can touch different objects (a rethook
// or objpool node per call, the ring buffer's write position), so picking by position alone
// would make the reported lines and cycles depend on which calls a timer tick disturbed.
size_t steady_call(const std::vector<BootedCallTrace>& calls) {
    using Key = std::array<int64_t, 6>;
    std::vector<Key> keys(calls.size());
    for (size_t i = 1; i < calls.size(); ++i) {
        Counters counters;
        counters.count_trace(calls[i].trace, calls[i].initial_sp, calls[i].stack_low);
        Metrics m = counters.total();
        keys[i] = {m.instructions, m.loads,        m.stores,
                   m.bytes_loaded, m.bytes_stored, m.lines_touched};
    }
    std::vector<int64_t> counts;
    for (size_t i = 1; i < calls.size(); ++i)
        counts.push_back(keys[i][0]);
    std::sort(counts.begin(), counts.end());
    const int64_t median = counts[(counts.size() - 1) / 2];
    std::map<Key, int> frequency;
    for (size_t i = 1; i < calls.size(); ++i)
        if (keys[i][0] == median) ++frequency[keys[i]];
    const Key* best = nullptr;
    for (const auto& [key, n] : frequency) // in key order: the smaller wins a tie
        if (!best || n > frequency[*best]) best = &key;
    for (size_t i = 1; i < calls.size(); ++i)
        if (keys[i] == *best) return i;
    return 1;
}

// The paths to boot, in order, each after its baseline (`none`, or the BPF bench's bare driver
// call), which every per-call figure needs: the named ones, else every path of the arch.
Expected<PlanRequest> plan_of(const BootRequest& request, const BootPathCatalogue& catalogue) {
    const Arch arch = request.kernel.arch;
    PlanRequest plan{arch, request.function, request.syscall, request.calls};
    if (request.calls < 2)
        return usage_error("--calls must be at least 2 (a cold and a steady call)");
    std::vector<std::string> names = request.paths;
    if (names.empty())
        for (const BootPath& p : catalogue.paths)
            if (p.on(arch) && p.group.empty()) names.push_back(p.name);
    for (const std::string& name : names) {
        const BootPath* p = catalogue.find(name);
        if (!p) {
            std::vector<std::string> known;
            for (const BootPath& q : catalogue.paths)
                known.push_back(q.name);
            return usage_error("unknown booted path '{}' (known: {})", name,
                               fmt::join(known, ", "));
        }
        if (!p->on(arch)) return usage_error("booted path '{}' is not on {}", name, arch);
        const BootPath* base = catalogue.find(p->baseline);
        if (std::find(plan.paths.begin(), plan.paths.end(), base) == plan.paths.end())
            plan.paths.push_back(base);
        if (std::find(plan.paths.begin(), plan.paths.end(), p) == plan.paths.end())
            plan.paths.push_back(p);
    }
    return plan;
}

// What a boot runs: QEMU, our plugin and the guest agent.
struct BootTools {
    fs::path qemu, plugin, agent;
};

Expected<BootTools> find_tools(const GuestArch& guest) {
    BootTools tools{find_program(std::string(guest.qemu_program)),
                    build_dir() / "boot" / "plugin" / "libtracesim_plugin.so",
                    build_dir() / "boot" / "agent" / fmt::format("agent-{}", guest.arch)};
    if (tools.qemu.empty())
        return make_error("{} is not installed (Debian package {}; make deps installs it)",
                          guest.qemu_program, guest.qemu_package);
    if (!fs::exists(tools.plugin))
        return make_error("the QEMU plugin is not built: {}", tools.plugin.string());
    if (!fs::exists(tools.agent))
        return make_error("the {} guest agent is not built: {}{}", guest.arch, tools.agent.string(),
                          !guest.agent_compiler.empty() &&
                                  find_program(std::string(guest.agent_compiler)).empty()
                              ? fmt::format(" ({} is missing: Debian package {})",
                                            guest.agent_compiler, guest.agent_compiler_package)
                              : "");
    return tools;
}

// The static symbols are the same on every boot of one image (nokaslr): cached by its hash.
fs::path symbol_cache_of(const fs::path& image) {
    return cache_dir() / "boot" / "symbols" / fmt::format("{:016x}.txt", fnv1a(read_bytes(image)));
}

std::optional<KernelSymbols> cached_symbols(const fs::path& cache) {
    if (!fs::exists(cache)) return std::nullopt;
    KernelSymbols symbols;
    std::istringstream lines(read_text_file(cache));
    for (std::string line; std::getline(lines, line);)
        symbols.add_line(line);
    symbols.seal();
    if (symbols.size() <= 1000) return std::nullopt;
    return symbols;
}

void cache_symbols(const fs::path& cache, const KernelSymbols& symbols) {
    std::error_code ec;
    fs::create_directories(cache.parent_path(), ec);
    std::string text;
    for (const KernelSymbol& s : symbols.all())
        text += fmt::format("{:016x} {} {}\n", s.address, s.type, s.name);
    if (!ec) (void)write_file_atomically(cache, text); // a cache: best effort
}

// The guest's initramfs: our /init and agent, the plan, busybox, and the BPF bench's programs
// (boot/bpf/trigger.s) when a path has bpf steps.
Expected<void> write_initramfs(const PlanRequest& plan, const std::string& plan_text,
                               const BootTools& tools, const fs::path& busybox,
                               const fs::path& initrd) {
    Initramfs initramfs;
    for (const char* dir : {"bin", "proc", "sys", "dev", "tmp"})
        initramfs.directory(dir);
    initramfs.file("init", read_bytes(tracesim_home() / "boot" / "agent" / "init"), 0755);
    initramfs.file("agent", read_bytes(tools.agent), 0755);
    initramfs.file("plan", {plan_text.begin(), plan_text.end()});
    initramfs.file("bin/busybox", read_bytes(busybox), 0755);
    initramfs.symlink("bin/sh", "busybox");
    initramfs.char_device("dev/console", 5, 1);
    const bool wants_bpf = std::any_of(plan.paths.begin(), plan.paths.end(), [](const BootPath* p) {
        return std::any_of(p->setup.begin(), p->setup.end(),
                           [](const std::string& step) { return step.starts_with("bpf "); });
    });
    if (wants_bpf) {
        const fs::path programs = build_dir() / "boot" / "bpf" / "trigger.o";
        if (!fs::exists(programs))
            return make_error("the BPF bench's programs are not built: {} (llvm-mc-19, Debian "
                              "package llvm-19)",
                              programs.string());
        initramfs.directory("bpf");
        initramfs.file("bpf/trigger.o", read_bytes(programs));
    }
    std::vector<uint8_t> archive = initramfs.bytes();
    return write_file_atomically(initrd,
                                 {reinterpret_cast<const char*>(archive.data()), archive.size()});
}

// QEMU's command line. nokaslr: the same addresses every boot (the symbol cache);
// randomize_kstack_offset=off: the same kernel stack addresses every syscall (else the lines a
// call touches vary per call). --icount: virtual time from the instruction count, so timer ticks
// and the ring buffer's timestamps (where each event lands, the lines a call touches) repeat.
std::vector<std::string> qemu_argv(const BootRequest& request, const GuestArch& guest,
                                   const BootTools& tools, const fs::path& initrd,
                                   const fs::path& trace, const fs::path& plugin_log) {
    std::string cmdline = fmt::format(
        "console={} nokaslr randomize_kstack_offset=off quiet panic=-1{}", guest.console,
        request.extra_cmdline.empty() ? "" : " " + request.extra_cmdline);
    std::vector<std::string> argv = {tools.qemu.string()};
    for (std::string_view option : guest.qemu_machine)
        argv.emplace_back(option);
    argv.insert(argv.end(), {"-accel",     "tcg",
                             "-smp",       "1",
                             "-m",         "512",
                             "-nographic", "-no-reboot",
                             "-kernel",    request.kernel.image.string(),
                             "-initrd",    initrd.string(),
                             "-append",    cmdline,
                             "-plugin",    tools.plugin.string() + ",out=" + trace.string(),
                             "-d",         "plugin",
                             "-D",         plugin_log.string()});
    if (request.icount) argv.insert(argv.end(), {"-icount", "shift=4,sleep=off"});
    return argv;
}

// Why the boot gave nothing to read, with the console's last lines; nothing when it finished.
Expected<void> boot_finished(const ProcessResult& ran, const ConsoleLog& log,
                             const fs::path& qemu_err, const std::string& where,
                             double time_limit) {
    if (ran.timed_out)
        return make_error("{}: the boot did not finish within {:.0f} s (--time-limit); the "
                          "console's last lines:{}",
                          where, time_limit, tail_text(log.tail));
    if (log.done) return {};
    std::string qemu_said = read_text_file(qemu_err);
    if (!qemu_said.empty() && log.tail.empty())
        return make_error("{}: QEMU failed (exit {}): {}", where, ran.exit_status, qemu_said);
    std::string why = !log.panic.empty()   ? " (" + log.panic + ")"
                      : !log.fatal.empty() ? " (" + log.fatal + ")"
                                           : "";
    return make_error("{}: the guest stopped before the agent finished{}; the console's last "
                      "lines:{}",
                      where, why, tail_text(log.tail));
}

// One path of the boot as the agent's console and the plugin's window say it ran: its calls,
// each as a trace with phases, and the steady one; or why it did not run.
BootedPath read_booted_path(const BootPath& spec, const BootRun& run, const ConsoleLog& log,
                            const std::vector<BootWindow>& windows, const KernelSymbols& statics,
                            const BootRules& rules, const std::set<std::string>& config,
                            const GuestArch& guest, int calls_requested) {
    BootedPath out;
    out.spec = spec;
    out.function = spec.function.empty() ? run.function : spec.function;
    out.calls_requested = calls_requested;
    const ConsolePath* cp = log.find(spec.name);
    out.warnings = cp->warnings;
    out.kprobes = cp->kprobes;
    out.hits = cp->hits;
    if (!cp->failure.empty()) {
        out.reason = "the kernel refused it: " + cp->failure;
        std::vector<std::string> lacking;
        for (const std::string& option : spec.needs_config)
            if (!config.empty() && !config.count(option)) lacking.push_back(option);
        if (!lacking.empty())
            out.reason =
                fmt::format("its .config does not set {}; ", fmt::join(lacking, ", ")) + out.reason;
        return out;
    }
    auto entry = statics.address_of(out.function);
    if (!entry) {
        out.reason = fmt::format("the kernel has no function '{}' in its kallsyms", out.function);
        return out;
    }
    out.entry = *entry;
    const BootWindow* window = nullptr;
    for (const BootWindow& w : windows)
        if (cp->window && w.index == *cp->window) window = &w;
    if (!window) {
        out.reason = "the plugin recorded no window for it";
        return out;
    }
    KernelSymbols symbols = statics;
    for (const KernelSymbol& s : cp->run_time_symbols) {
        symbols.add(s);
        std::string region = fmt::format("{} [{}] at {:#x}", s.name, s.module, s.address);
        if (std::find(out.run_time_regions.begin(), out.run_time_regions.end(), region) ==
            out.run_time_regions.end())
            out.run_time_regions.push_back(region);
    }
    symbols.seal();
    out.symbols = symbols;
    if (spec.probe_in_body) out.probe_offset = probe_offset_from(cp->kprobes, *entry);
    std::vector<BootCall> calls = find_calls(*window, symbols, rules, *entry);
    out.calls_found = static_cast<int>(calls.size());
    for (const BootCall& call : calls) {
        if (!call.complete) continue;
        if (call.interrupts_cut) {
            ++out.calls_interrupted;
            out.interrupts_cut += call.interrupts_cut;
        }
        out.calls.push_back(
            booted_trace(*window, call, symbols, rules, *entry, out.probe_offset, spec.name));
        auto [sp, low] = guest.stack_range(call.return_slot, out.calls.back().trace);
        out.calls.back().initial_sp = sp;
        out.calls.back().stack_low = low;
    }
    if (out.calls.size() < 2) {
        out.reason =
            fmt::format("only {} complete call(s) of {} captured{}", out.calls.size(), out.function,
                        window->overflowed ? " (the plugin's event limit was hit)" : "");
        return out;
    }
    out.steady = steady_call(out.calls);
    out.ran = true;
    return out;
}

} // namespace

Expected<BootRun> boot_and_capture(const BootRequest& request) {
    const Arch arch = request.kernel.arch;
    auto found = image_arch(request.kernel.image);
    if (!found) return found.take_error();
    if (*found != arch)
        return usage_error("{} is an {} kernel, not {}", request.kernel.image.string(), *found,
                           arch);
    auto catalogue = load_boot_paths(
        request.paths_file.empty() ? tracesim_home() / "boot" / "paths.toml" : request.paths_file);
    if (!catalogue) return catalogue.take_error();
    auto rules = load_boot_rules(tracesim_home() / "boot", arch);
    if (!rules) return rules.take_error();
    auto plan = plan_of(request, *catalogue);
    if (!plan) return plan.take_error();

    const GuestArch& guest = guest_arch(arch);
    auto tools = find_tools(guest);
    if (!tools) return tools.take_error();
    TempDir temp;
    auto work = make_work_dir(request.keep_dir, temp);
    if (!work) return work.take_error();
    auto busybox = busybox_for(arch, *work);
    if (!busybox) return busybox.take_error();
    const fs::path symbol_cache = symbol_cache_of(request.kernel.image);
    const std::optional<KernelSymbols> cached = cached_symbols(symbol_cache);
    plan->symbols = !cached; // the agent prints kallsyms only when they are not cached
    auto plan_text = write_plan(*catalogue, *plan);
    if (!plan_text) return plan_text.take_error();
    const fs::path initrd = *work / "initramfs.cpio", trace = *work / "trace.bin",
                   console = *work / "console.log", qemu_err = *work / "qemu.err",
                   plugin_log = *work / "plugin.log";
    if (auto written = write_initramfs(*plan, *plan_text, *tools, *busybox, initrd); !written)
        return written.take_error();
    if (auto written = write_file_atomically(*work / "plan", *plan_text); !written)
        return written.take_error();

    auto ran = run_process(qemu_argv(request, guest, *tools, initrd, trace, plugin_log), console,
                           qemu_err, request.time_limit);
    if (!ran) return ran.take_error();
    ConsoleLog log = parse_console(read_text_file(console));
    const std::string where = fmt::format("{} ({})", request.kernel.label, arch);
    if (auto finished = boot_finished(*ran, log, qemu_err, where, request.time_limit); !finished)
        return finished.take_error();
    if (!cached) {
        if (log.symbols.size() < 1000 ||
            static_cast<int64_t>(log.symbols.size()) != log.symbols_announced)
            return make_error("{}: the guest's symbol table arrived incomplete ({} of {} lines)",
                              where, log.symbols.size(), log.symbols_announced);
        cache_symbols(symbol_cache, log.symbols);
    }
    const KernelSymbols& statics = cached ? *cached : log.symbols;
    auto windows = read_boot_trace(trace);
    if (!windows) return windows.take_error();

    BootRun run;
    run.kernel = request.kernel;
    run.release = log.release;
    run.cmdline = log.cmdline;
    run.qemu_version = qemu_version(tools->qemu, *work);
    run.boot_seconds = ran->seconds;
    run.icount = request.icount;
    run.symbols_cached = cached.has_value();
    const BootArchDefaults& defaults = catalogue->defaults.at(arch);
    run.function = request.function.empty() ? defaults.function : request.function;
    if (!statics.address_of(run.function))
        return usage_error("{} (release {}) has no function '{}' in its kallsyms", where,
                           run.release, run.function);
    const std::set<std::string> config = config_options(request.kernel.config);
    for (const BootPath* spec : plan->paths) {
        if (!log.find(spec->name))
            return make_error("{}: the agent never reached path '{}'", where, spec->name);
        run.paths.push_back(read_booted_path(*spec, run, log, *windows, statics, *rules, config,
                                             guest, request.calls));
    }
    return run;
}
} // namespace tracesim
