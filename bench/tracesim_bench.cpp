// tracesim_bench (`make bench`): speed of the emulator and of the timing model, side by side in
// one run, plus the modeled cycles of every supported path on every core. Speed targets live
// here (issue 5 §5), never in tests: wall-clock numbers vary by ±20 % on a shared VM.
//
//   1. cycles per path and core (read-all handler, 10 calls, the last one reported)
//   2. speed on one path per arch: bare Unicorn (Machine, no listener), counting (Counters),
//      recording (TraceRecorder), effective cycle-level (TimingModel, memoised) and MCA
//      without memoisation
//   3. a model-level matrix: every supported path x 2 arches x 3 cores x 3 handlers x 1000
//      calls, recorded and timed (no runner checks; see full_matrix_with_runner()).
#include "path_calls.h"
#include "sim/batch.h"
#include "sim/counters.h"
#include "timing/timing_model.h"
#include "sim/trace_recorder.h"

#include <chrono>
#include <cstdlib>
#include <fmt/core.h>
#include <map>

using namespace tracesim;
using namespace tracesim::bench;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

[[noreturn]] void die(const Error& e) {
    fmt::print(stderr, "tracesim_bench: {}\n", e.message);
    std::exit(1);
}
template <class T> T must(Expected<T> e) {
    if (!e) die(e.error());
    return std::move(*e);
}

struct Env {
    Catalogue catalogue;
    std::vector<CoreProfile> cores;
    std::vector<const CoreProfile*> cores_of(Arch arch) const {
        std::vector<const CoreProfile*> out;
        for (const CoreProfile& c : cores)
            if (c.arch == arch) out.push_back(&c);
        return out;
    }
    std::vector<const PathSpec*> paths_of(Arch arch) const {
        std::vector<const PathSpec*> out;
        for (const std::string& name : catalogue.path_names()) {
            if (!catalogue.has_path(name, arch)) continue;
            auto p = catalogue.find_path(name, arch, "");
            if (p && (*p)->supported) out.push_back(*p);
        }
        return out;
    }
};

std::vector<DynamicTrace> record_calls(const Env& env, const PathSpec& path,
                                       const HandlerSpec& handler, int calls) {
    auto run = must(PathCalls::create(env.catalogue, path, handler));
    TraceRecorder recorder(run->image());
    run->machine().add_listener(&recorder);
    must(run->run(calls));
    return recorder.calls();
}

// ---- 1. cycles per path and core -------------------------------------------------------------
void cycles_per_path(const Env& env) {
    fmt::print("== 1. modeled cycles of one traced call (handler read-all; cold / warm)\n");
    const HandlerSpec& handler = *must(env.catalogue.find_handler("read-all"));
    for (Arch arch : all_arches) {
        auto cores = env.cores_of(arch);
        fmt::print("\n{:<16} {:>5}", name_of(arch), "insns");
        for (const CoreProfile* c : cores)
            fmt::print(" | {:^31}", c->name);
        fmt::print("\n{:<16} {:>5}", "", "");
        for (size_t i = 0; i < cores.size(); ++i)
            fmt::print(" | {:>5} {:>5} {:>4} {:>3} {:>3} {:>3}", "cold", "warm", "ipc", "l1m", "mp",
                       "unp");
        fmt::print("\n");
        std::map<std::string, int64_t> unpriced;
        for (const PathSpec* path : env.paths_of(arch)) {
            auto traces = record_calls(env, *path, handler, 10);
            fmt::print("{:<16} {:>5}", path->name, traces.back().instructions.size());
            for (const CoreProfile* core : cores) {
                auto model = must(TimingModel::create(*core));
                CallTiming t = must(model->time_calls(traces));
                fmt::print(" | {:>5} {:>5} {:>4.2f} {:>3} {:>3} {:>3}", t.total.cycles_cold,
                           t.total.cycles_warm, t.total.ipc(), t.total.l1d_misses_cold,
                           t.total.mispredicts_warm, t.total.unpriced);
                for (const UnpricedInstruction& u : t.unpriced)
                    unpriced[fmt::format("{} {}: {} ({})", core->name, path->name, u.text,
                                         name_of(u.reason))] += u.count;
            }
            fmt::print("\n");
        }
        for (const auto& [what, count] : unpriced)
            fmt::print("  unpriced: {} x{}\n", what, count);
    }
    fmt::print("\n  l1m = L1D misses of the cold call; mp = mispredicts of the warm call; unp = "
               "unpriced instructions\n\n");
}

// ---- 2. speed --------------------------------------------------------------------------------
void speed(const Env& env, Arch arch, std::string_view path_name) {
    const PathSpec& path = *must(env.catalogue.find_path(path_name, arch, ""));
    const HandlerSpec& handler = *must(env.catalogue.find_handler("read-all"));
    const CoreProfile& core = *must(find_core(env.cores, default_core_name(arch), arch));
    const int calls = 20000;
    fmt::print("== 2. speed: {} {} (read-all), {} calls, core {}\n", arch, path.name, calls,
               core.name);

    auto bare = must(PathCalls::create(env.catalogue, path, handler));
    must(bare->run(100)); // translate once
    auto t0 = Clock::now();
    uint64_t insns = must(bare->run(calls));
    double bare_s = seconds_since(t0);
    double bare_mips = insns / bare_s / 1e6;
    fmt::print("  {:<44} {:8.2f} M insn/s  ({} insns/call, {:.2f} us/call)\n",
               "bare Unicorn (Machine, no listener)", bare_mips, insns / calls,
               bare_s / calls * 1e6);

    auto counting = must(PathCalls::create(env.catalogue, path, handler));
    Counters counters(counting->image());
    counting->machine().add_listener(&counters);
    must(counting->run(100));
    t0 = Clock::now();
    insns = must(counting->run(calls));
    double count_mips = insns / seconds_since(t0) / 1e6;
    fmt::print("  {:<44} {:8.2f} M insn/s  ({:.2f}x bare; target >= 0.7x)\n",
               "counting (Counters listener)", count_mips, count_mips / bare_mips);

    const int recorded_calls = 5000;
    auto recording = must(PathCalls::create(env.catalogue, path, handler));
    TraceRecorder recorder(recording->image());
    recording->machine().add_listener(&recorder);
    t0 = Clock::now();
    insns = must(recording->run(recorded_calls));
    fmt::print("  {:<44} {:8.2f} M insn/s\n", "recording (TraceRecorder listener)",
               insns / seconds_since(t0) / 1e6);
    const std::vector<DynamicTrace>& traces = recorder.calls();

    auto model = must(TimingModel::create(core));
    t0 = Clock::now();
    uint64_t timed = 0;
    int64_t cycles = 0;
    for (const DynamicTrace& t : traces) { // each call timed on its own: cold + 4 warm-ups + warm
        cycles += must(model->time_call(t)).total.cycles_warm;
        timed += t.instructions.size();
    }
    double model_s = seconds_since(t0);
    TimingStats st = model->stats();
    fmt::print("  {:<44} {:8.2f} M insn/s  (target >= 10; {} pipelines for {} calls)\n",
               "effective cycle-level, memoised (time_call)", timed / model_s / 1e6,
               st.pipelines_run, traces.size());
    t0 = Clock::now();
    CallTiming all = must(model->time_calls(traces));
    fmt::print("  {:<44} {:8.3f} ms for {} calls (warm {} cycles/call)\n",
               "time_calls(all calls) once", seconds_since(t0) * 1e3, traces.size(),
               all.total.cycles_warm);

    auto unmemoised = must(TimingModel::create(core, {.memoise = false}));
    const size_t mca_calls = 300;
    t0 = Clock::now();
    timed = 0;
    for (size_t i = 0; i < mca_calls; ++i) {
        must(unmemoised->time_call(traces[i]));
        timed += traces[i].instructions.size();
    }
    double mca_s = seconds_since(t0);
    fmt::print("  {:<44} {:8.2f} M insn/s  ({:.1f} us per call's pipelines)\n",
               "MCA, no memoisation", timed / mca_s / 1e6, mca_s / mca_calls * 1e6);
    (void)cycles;
}

// ---- 3. matrix -------------------------------------------------------------------------------
void model_matrix(const Env& env) {
    const int calls = 1000;
    const std::vector<std::string> handlers = {"read-args", "read-ret", "read-all"};
    fmt::print("\n== 3. model-level matrix: supported paths x 2 arches x 3 cores x {} handlers x "
               "{} calls\n",
               handlers.size(), calls);
    auto t0 = Clock::now();
    double emulate_s = 0, model_s = 0;
    int configs = 0;
    uint64_t insns = 0;
    for (Arch arch : all_arches) {
        std::vector<std::unique_ptr<TimingModel>> models;
        for (const CoreProfile* core : env.cores_of(arch))
            models.push_back(must(TimingModel::create(*core)));
        for (const PathSpec* path : env.paths_of(arch)) {
            for (const std::string& h : handlers) {
                auto t1 = Clock::now();
                auto traces = record_calls(env, *path, *must(env.catalogue.find_handler(h)), calls);
                emulate_s += seconds_since(t1);
                t1 = Clock::now();
                for (auto& model : models) {
                    must(model->time_calls(traces));
                    ++configs;
                    insns += traces.size() * traces.back().instructions.size();
                }
                model_s += seconds_since(t1);
            }
        }
    }
    fmt::print("  {} configurations: {:.2f} s wall on 1 thread (emulate+record {:.2f} s, timing "
               "{:.2f} s); {:.1f} M traced insn/s overall; target <= 10 s on 2 cores\n",
               configs, seconds_since(t0), emulate_s, model_s, insns / seconds_since(t0) / 1e6);
}

// The same matrix through the runner, as `tracesim run` does it: traced and untraced calls,
// functional and register checks, timing on every core, two worker threads. Then one path the
// way a user runs it, process start-up included.
void full_matrix_with_runner(const Env& env) {
    const int calls = 1000;
    std::vector<RunRequest> requests;
    for (Arch arch : all_arches)
        for (const PathSpec* path : env.paths_of(arch))
            for (const char* handler : {"read-args", "read-ret", "read-all"})
                for (const CoreProfile* core : env.cores_of(arch)) {
                    RunRequest r{arch, path->name, path->kernel, handler, calls};
                    r.core = core->name;
                    requests.push_back(r);
                }
    fmt::print("\n== 4. full matrix through the runner: {} runs x {} calls, 2 jobs\n",
               requests.size(), calls);
    auto t0 = Clock::now();
    must(run_batch(env.catalogue, requests, 2));
    fmt::print("  {:.2f} s wall (target <= 10 s on 2 cores)\n", seconds_since(t0));
    t0 = Clock::now();
    int status = std::system(
        (std::string(TRACESIM_BINARY) + " run --arch x86_64 --path ftrace > /dev/null").c_str());
    fmt::print("  one-path `tracesim run` (a new process): {:.3f} s wall{} (target <= 0.3 s)\n",
               seconds_since(t0), status == 0 ? "" : " FAILED");
}

// `tracesim_bench timeline ARCH PATH [CORE]`: the timeline of the warm call (a preview of what
// `tracesim trace` will show), with the model's events per instruction.
void timeline(const Env& env, Arch arch, std::string_view path_name, std::string_view core_name) {
    const PathSpec& path = *must(env.catalogue.find_path(path_name, arch, ""));
    const HandlerSpec& handler = *must(env.catalogue.find_handler("read-all"));
    const CoreProfile& core = *must(find_core(env.cores, core_name, arch));
    auto traces = record_calls(env, path, handler, 3);
    for (const DynamicTrace& tr : traces) {
        bool same = tr.instructions.size() == traces.back().instructions.size();
        for (size_t i = 0; same && i < tr.instructions.size(); ++i)
            same = tr.instructions[i].pc == traces.back().instructions[i].pc;
        fmt::print("call: {} instructions{}\n", tr.instructions.size(),
                   same ? "" : " (differs from the last)");
    }
    auto model = must(TimingModel::create(core, {.timeline = true}));
    CallTiming t = must(model->time_calls(traces));
    fmt::print("{} {} on {}: cold {} warm {} cycles\n", arch, path.name, core.name,
               t.total.cycles_cold, t.total.cycles_warm);
    fmt::print("{:>10} {:<11} {:<36} {:>5} {:>5} {:>5} {:>5}  {}\n", "pc", "phase", "instruction",
               "D", "I", "E", "R", "warm events (cold)");
    for (const InstructionTiming& i : t.timeline) {
        std::string events;
        auto describe = [&](const InstructionCycles& c) {
            std::string e;
            if (c.l1d_misses)
                e += fmt::format("L1D miss x{}{} ", c.l1d_misses, c.l2_misses ? " (L2 miss)" : "");
            if (c.mispredict != MispredictKind::none)
                e += fmt::format("mispredict {} ", name_of(c.mispredict));
            if (c.penalty) e += fmt::format("+{} ", c.penalty);
            return e;
        };
        events = describe(i.warm);
        std::string cold = describe(i.cold);
        if (!cold.empty()) events += "(" + cold + ")";
        if (i.trapped) events += " trap";
        if (!i.override_match.empty())
            events +=
                fmt::format(" [{}{}]", i.override_match, i.serializing ? ", serializing" : "");
        if (i.unpriced != Unpriced::no) events += fmt::format(" UNPRICED: {}", name_of(i.unpriced));
        fmt::print("{:>#10x} {:<11} {:<36} {:>5} {:>5} {:>5} {:>5}  {}\n", i.pc, name_of(i.phase),
                   i.text, i.warm.dispatched, i.warm.issued, i.warm.executed, i.warm.retired,
                   events);
    }
}

} // namespace

int main(int argc, char** argv) {
    Env env;
    env.catalogue = must(load_catalogue());
    env.cores = must(load_core_profiles(tracesim_home() / "isa" / "cores"));
    if (argc >= 4 && std::string_view(argv[1]) == "timeline") {
        Arch arch = parse_arch(argv[2]).value_or(Arch::x86_64);
        timeline(env, arch, argv[3], argc >= 5 ? argv[4] : default_core_name(arch));
        return 0;
    }
    cycles_per_path(env);
    speed(env, Arch::x86_64, "ftrace");
    speed(env, Arch::arm64, "ftrace");
    model_matrix(env);
    full_matrix_with_runner(env);
    return 0;
}
