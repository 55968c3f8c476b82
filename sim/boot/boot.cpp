#include "sim/boot/boot.h"

#include "base/output.h"
#include "sim/boot/calls.h"
#include "sim/boot/console.h"
#include "sim/boot/guest_arch.h"
#include "sim/boot/initramfs.h"
#include "sim/boot/process.h"
#include "sim/boot/rules.h"
#include "sim/boot/trace_file.h"
#include "sim/catalogue.h"
#include "sim/counters.h"
#include "timing/timing_model.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#ifndef TRACESIM_BUILD_DIR_DEFAULT
#define TRACESIM_BUILD_DIR_DEFAULT "build"
#endif

namespace tracesim {

namespace {

namespace fs = std::filesystem;

fs::path build_dir() {
    const char* env = std::getenv("TRACESIM_BUILD");
    return env && *env ? fs::path(env) : fs::path(TRACESIM_BUILD_DIR_DEFAULT);
}

fs::path cache_dir() {
    if (const char* env = std::getenv("TRACESIM_CACHE"); env && *env) return env;
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / ".cache" / "tracesim";
}

std::vector<uint8_t> read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string tail_text(const std::vector<std::string>& lines, size_t n = 15) {
    std::string out;
    size_t from = lines.size() > n ? lines.size() - n : 0;
    for (size_t i = from; i < lines.size(); ++i)
        out += "\n  | " + lines[i];
    return out.empty() ? "\n  | (the console printed nothing)" : out;
}

// Runs scripts/fetch-boot-kernel.sh and returns its key=value lines.
Expected<std::map<std::string, std::string>> fetch_script(const std::vector<std::string>& args,
                                                          const fs::path& work) {
    std::vector<std::string> argv = {"bash", (tracesim_home() / "scripts" /
                                              "fetch-boot-kernel.sh").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    fs::path out = work / "fetch.out", err = work / "fetch.err";
    auto ran = run_process(argv, out, err, 900);
    if (!ran) return ran.take_error();
    std::string error = read_text_file(err);
    if (ran->timed_out) return make_error("fetching a Debian kernel took over 15 minutes");
    if (ran->exit_status != 0) {
        // The script's own message is its last line starting with its name.
        std::string message;
        std::istringstream lines(error);
        for (std::string line; std::getline(lines, line);)
            if (line.starts_with("fetch-boot-kernel:")) message = line;
        Error e = make_error("{}", message.empty() ? "fetch-boot-kernel failed: " + error : message);
        if (ran->exit_status == 2) e.exit_code = ExitCode::usage_error;
        return e;
    }
    std::map<std::string, std::string> values;
    std::istringstream lines(read_text_file(out));
    for (std::string line; std::getline(lines, line);)
        if (size_t eq = line.find('='); eq != std::string::npos)
            values[line.substr(0, eq)] = line.substr(eq + 1);
    return values;
}

struct TempDir {
    fs::path path;
    bool keep = false;
    ~TempDir() {
        std::error_code ec;
        if (!keep && !path.empty()) fs::remove_all(path, ec);
    }
};

Expected<fs::path> make_work_dir(const fs::path& keep, TempDir& temp) {
    if (!keep.empty()) {
        std::error_code ec;
        fs::create_directories(keep, ec);
        if (ec) return make_error("cannot create {}: {}", keep.string(), ec.message());
        temp.path = keep;
        temp.keep = true;
        return keep;
    }
    std::string pattern = (fs::temp_directory_path() / "tracesim-boot.XXXXXX").string();
    if (!mkdtemp(pattern.data())) return make_error("cannot create a temporary directory");
    temp.path = pattern;
    return temp.path;
}

// Which arch a kernel image is for, from its boot header.
Expected<Arch> image_arch(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return usage_error("cannot read the kernel image {}", file.string());
    std::vector<uint8_t> head(0x240, 0);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    if (in.gcount() < 0x240) return usage_error("{} is too short for a kernel image", file.string());
    for (const GuestArch& guest : guest_arches())
        if (std::equal(guest.header_magic.begin(), guest.header_magic.end(),
                       head.begin() + static_cast<std::ptrdiff_t>(guest.header_offset)))
            return guest.arch;
    if (head[0] == 'M' && head[1] == 'Z' && head[4] == 'z' && head[5] == 'i' && head[6] == 'm' &&
        head[7] == 'g')
        return usage_error("{} is an EFI zboot image (compressed): QEMU's -kernel cannot boot "
                           "it; give the Image inside it (make Image, not vmlinuz.efi)",
                           file.string());
    if (head[0] == 0x1f && head[1] == 0x8b)
        return usage_error("{} is gzip-compressed: give the uncompressed Image", file.string());
    if (head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F')
        return usage_error("{} is an ELF vmlinux: boot takes a bzImage or an arm64 Image "
                           "(the vmlinux is for `tracesim kernel`)",
                           file.string());
    return usage_error("{} is not a kernel image QEMU can boot (no x86 bzImage or arm64 Image "
                       "header)",
                       file.string());
}

Expected<fs::path> busybox_for(Arch arch, const fs::path& work) {
    auto values = fetch_script({"busybox", std::string(guest_arch(arch).debian_arch)}, work);
    if (!values) return values.take_error();
    fs::path path = (*values)["busybox"];
    if (path.empty() || !fs::exists(path))
        return make_error("fetch-boot-kernel gave no busybox for {}", arch);
    return path;
}

uint64_t fnv1a(const std::vector<uint8_t>& bytes) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint8_t b : bytes)
        h = (h ^ b) * 0x100000001b3ull;
    return h;
}

std::string qemu_version(const fs::path& qemu, const fs::path& work) {
    auto ran = run_process({qemu.string(), "--version"}, work / "qemu-version", work / "qemu-err", 30);
    if (!ran || ran->exit_status != 0) return "";
    std::string text = read_text_file(work / "qemu-version");
    std::string first = text.substr(0, text.find('\n'));
    constexpr std::string_view prefix = "QEMU emulator version ";
    return first.starts_with(prefix) ? first.substr(prefix.size()) : first;
}

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
        keys[i] = {m.instructions, m.loads, m.stores, m.bytes_loaded, m.bytes_stored,
                   m.lines_touched};
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

} // namespace

const BootedPath* BootRun::find(std::string_view name) const {
    for (const BootedPath& p : paths)
        if (p.spec.name == name) return &p;
    return nullptr;
}

std::string nearest_era(const std::vector<std::string>& eras, const std::string& release) {
    const std::string version = kernel_version(release);
    std::string best, oldest;
    for (const std::string& era : eras) {
        if (oldest.empty() || kernel_older(era, oldest)) oldest = era;
        if (!kernel_older(version, era) && (best.empty() || kernel_older(best, era))) best = era;
    }
    return best.empty() ? oldest : best;
}

Expected<BootImage> fetch_debian_kernel(Arch arch, const std::string& version) {
    TempDir temp;
    auto work = make_work_dir({}, temp);
    if (!work) return work.take_error();
    auto values =
        fetch_script({"kernel", std::string(guest_arch(arch).debian_arch), version}, *work);
    if (!values) return values.take_error();
    BootImage image;
    image.arch = arch;
    image.image = (*values)["image"];
    image.config = (*values)["config"];
    std::string abi = image.image.parent_path().filename().string();
    image.label = "Debian " + (abi.empty() ? version : abi);
    if (image.image.empty() || !fs::exists(image.image))
        return make_error("fetch-boot-kernel gave no image for {} {}", arch, version);
    return image;
}

Expected<BootImage> user_kernel(const fs::path& file, std::optional<Arch> arch,
                                const fs::path& config) {
    if (!fs::is_regular_file(file)) return usage_error("{} is not a kernel image file", file.string());
    auto found = image_arch(file);
    if (!found) return found.take_error();
    if (arch && *arch != *found)
        return usage_error("{} is an {} kernel, not {}", file.string(), *found, *arch);
    if (!config.empty() && !fs::is_regular_file(config))
        return usage_error("{}: no such .config", config.string());
    return BootImage{*found, file, config, file.filename().string()};
}

namespace {

// The paths to boot, in order, each after its baseline (`none`, or the BPF bench's bare driver
// call), which every per-call figure needs: the named ones, else every path of the arch.
Expected<PlanRequest> plan_of(const BootRequest& request, const BootPathCatalogue& catalogue) {
    const Arch arch = request.kernel.arch;
    PlanRequest plan{arch, request.function, request.syscall, request.calls};
    if (request.calls < 2) return usage_error("--calls must be at least 2 (a cold and a steady call)");
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
            return usage_error("unknown booted path '{}' (known: {})", name, fmt::join(known, ", "));
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

Expected<Record> booted_record(const BootRun& run, const BootedPath& path,
                               const BootedPath* baseline, const CoreProfile& core) {
    const Arch arch = run.kernel.arch;
    Record r;
    r.arch = arch;
    r.path = path.spec.name;
    r.kernel = run.release;
    r.source = "boot";
    const bool is_baseline = path.spec.name == path.spec.baseline;
    r.handler = is_baseline                       ? "none"
                : path.spec.group == "bpf-bench" ? "the bench's program"
                                                  : "the kernel's";
    r.regs_struct = "-";
    r.models = "booted " + run.kernel.label; // the label, not the cache path: results are committed
    BootInfo info;
    info.release = run.release;
    info.image = run.kernel.label;
    info.qemu_version = run.qemu_version;
    info.cmdline = run.cmdline;
    info.clock = run.icount ? "icount" : "real";
    info.function = path.function.empty() ? run.function : path.function;
    info.calls_found = path.calls_found;
    info.calls_kept = path.calls.empty() ? 0 : static_cast<int>(path.calls.size()) - 1;
    info.calls_interrupted = path.calls_interrupted;
    info.interrupts_cut = path.interrupts_cut;
    info.hits = path.hits;
    if (!path.ran) {
        r.supported = false;
        r.reason = path.reason;
        r.boot = info;
        return r;
    }
    auto count = [&](const BootedCallTrace& call) {
        Counters counters;
        counters.count_trace(call.trace, call.initial_sp, call.stack_low);
        return counters;
    };
    const BootedCallTrace& steady = path.calls[path.steady];
    Counters counters = count(steady);
    r.calls = info.calls_kept;
    r.traced = counters.total();
    r.traps = counters.traps();
    for (Phase p : all_phases)
        if (counters.phase_ran(p)) r.phases.push_back({p, counters.phase(p)});
    info.cold_instructions = count(path.calls.front()).total().instructions;
    std::map<std::string, size_t> by_symbol;
    for (const TraceInstruction& insn : steady.trace.instructions) {
        auto hit = path.symbols.lookup(insn.pc);
        std::string name = !hit ? "?"
                           : hit->symbol->module.empty()
                               ? hit->symbol->name
                               : hit->symbol->name + " [" + hit->symbol->module + "]";
        auto [it, fresh] = by_symbol.emplace(name, info.functions.size());
        if (fresh) info.functions.push_back({name, insn.phase, 0});
        ++info.functions[it->second].instructions;
    }
    // The run-time code this call ran (kallsyms names more: what earlier paths left armed).
    for (const BootInfo::Function& f : info.functions)
        if (f.symbol.ends_with("]")) info.run_time_regions.push_back(f.symbol);
    std::stable_sort(info.functions.begin(), info.functions.end(),
                     [](const BootInfo::Function& a, const BootInfo::Function& b) {
                         return a.instructions > b.instructions;
                     });
    info.unmapped = steady.unmapped;
    const BootedCallTrace* base =
        baseline && baseline->ran ? &baseline->calls[baseline->steady] : nullptr;
    if (base) {
        Counters base_counters = count(*base);
        r.per_call = r.traced - base_counters.total();
        for (Phase p : all_phases)
            if (base_counters.phase_ran(p))
                r.untraced_phases.push_back({p, base_counters.phase(p)});
    }
    auto model = TimingModel::create(core);
    if (!model) return model.take_error();
    auto timed = (*model)->time_call(steady.trace);
    if (!timed) return make_error("timing booted {}: {}", r.path, timed.error().message);
    r.core = core.name;
    r.cycles_traced = timed->total;
    r.phase_cycles = timed->phases;
    r.unpriced = timed->unpriced;
    if (base) {
        auto timed_base = (*model)->time_call(base->trace);
        if (!timed_base) return timed_base.take_error();
        r.cycles_per_call = timed->total - timed_base->total;
        r.untraced_phase_cycles = timed_base->phases;
    }
    // The functional check a booted probe has: it fired once per call.
    r.checks.return_value = r.checks.callee_saved = r.checks.stack_balanced = true;
    if (!is_baseline && path.hits && *path.hits < path.calls_requested)
        r.checks.problems.push_back(fmt::format("the probe wrote {} events for {} calls",
                                                *path.hits, path.calls_requested));
    r.boot = info;
    return r;
}

} // namespace tracesim
