#include "timing/timing_model.h"

#include "timing/branch_model.h"
#include "timing/cache_model.h"
#include "timing/mca_timeline.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

namespace tracesim {

namespace {

struct SequenceHash {
    size_t operator()(const std::vector<uint32_t>& v) const {
        uint64_t h = 0xcbf29ce484222325ULL;
        for (uint32_t x : v)
            h = (h ^ x) * 0x100000001b3ULL;
        return static_cast<size_t>(h ^ (h >> 29));
    }
};

// What the caches and predictors did at one instruction of one replayed call.
struct Event {
    uint32_t load_penalty = 0; // the instruction's own completion is delayed (worst line)
    uint32_t branch_penalty = 0;
    uint32_t trap_penalty = 0; // exception entry: charged to Phase::trap
    uint32_t return_penalty = 0;
    uint8_t l1d_misses = 0;
    uint8_t l2_misses = 0;
    MispredictKind mispredict = MispredictKind::none;
};

size_t phase_slot(Phase p) {
    return static_cast<size_t>(p);
}

// Everything the result of timing one call depends on: the instructions (pc, bytes, phase,
// trap), the accesses (address, size, kind) and where the call went after its last instruction.
bool same_call(const DynamicTrace& a, const DynamicTrace& b) {
    if (a.arch != b.arch || a.next_pc != b.next_pc ||
        a.instructions.size() != b.instructions.size() || a.accesses.size() != b.accesses.size())
        return false;
    for (size_t i = 0; i < a.instructions.size(); ++i) {
        const TraceInstruction& x = a.instructions[i];
        const TraceInstruction& y = b.instructions[i];
        if (x.pc != y.pc || x.size != y.size || x.bytes != y.bytes || x.phase != y.phase ||
            x.first_access != y.first_access || x.access_count != y.access_count ||
            x.trapped != y.trapped)
            return false;
    }
    for (size_t i = 0; i < a.accesses.size(); ++i) {
        const TraceAccess& x = a.accesses[i];
        const TraceAccess& y = b.accesses[i];
        if (x.address != y.address || x.size != y.size || x.is_store != y.is_store ||
            x.by_hardware != y.by_hardware)
            return false;
    }
    return true;
}

uint64_t hash_call(const DynamicTrace& t) {
    uint64_t h = 0xcbf29ce484222325ULL;
    auto mix = [&h](uint64_t v) { h = (h ^ v) * 0x100000001b3ULL; };
    for (const TraceInstruction& i : t.instructions)
        mix(i.pc ^ (uint64_t(i.access_count) << 48) ^ (uint64_t(i.trapped) << 63));
    for (const TraceAccess& a : t.accesses)
        mix(a.address ^ (uint64_t(a.size) << 56));
    mix(t.next_pc);
    return h;
}

} // namespace

struct TimingModel::Impl {
    CoreProfile profile;
    TimingOptions options;
    std::unique_ptr<McaTimeline> mca;
    std::unordered_map<std::vector<uint32_t>, BaseTimeline, SequenceHash> memo;
    // Whole results of calls whose warm-up was the call itself (the usual case: identical
    // calls): a pure function of the trace, so a repeated call is a hash and a comparison.
    std::unordered_map<uint64_t, std::vector<std::pair<DynamicTrace, CallTiming>>> results;
    DataCacheModel caches;
    BranchModel branches;
    TimingStats stats;

    Impl(const CoreProfile& p, TimingOptions o)
        : profile(p), options(o), caches(profile),
          branches(static_cast<uint32_t>(profile.return_stack_entries.value)) {}

    std::vector<uint32_t> intern(const DynamicTrace& trace) {
        std::vector<uint32_t> seq;
        seq.reserve(trace.instructions.size());
        for (const TraceInstruction& insn : trace.instructions)
            seq.push_back(mca->intern(insn));
        return seq;
    }

    void reset_machine() {
        caches.clear();
        branches.clear();
    }

    // Replays one call through the caches and predictors; fills `events` if non-null.
    void replay(const DynamicTrace& trace, const std::vector<uint32_t>& seq,
                std::vector<Event>* events);

    Expected<const BaseTimeline*> schedule(const std::vector<uint32_t>& seq);
    void account(const DynamicTrace& trace, const std::vector<uint32_t>& seq,
                 const BaseTimeline& base, const std::vector<Event>& events, bool warm,
                 CallTiming& out, std::array<CycleMetrics, phase_count>& phases) const;
};

void TimingModel::Impl::replay(const DynamicTrace& trace, const std::vector<uint32_t>& seq,
                               std::vector<Event>* events) {
    const size_t n = trace.instructions.size();
    if (events) events->assign(n, Event{});
    const uint32_t line = caches.line_bytes();
    branches.begin_call();
    for (size_t i = 0; i < n; ++i) {
        const TraceInstruction& insn = trace.instructions[i];
        const StaticInstruction& s = mca->at(seq[i]);
        Event e;
        for (uint32_t a = 0; a < insn.access_count; ++a) {
            const TraceAccess& access = trace.accesses[insn.first_access + a];
            uint64_t first = access.address / line;
            uint64_t last = (access.address + std::max<uint32_t>(access.size, 1) - 1) / line;
            for (uint64_t l = first; l <= last; ++l) {
                CacheOutcome outcome = caches.access(l * line);
                if (outcome == CacheOutcome::l1_hit) continue;
                if (e.l1d_misses < 255) ++e.l1d_misses;
                if (outcome == CacheOutcome::l2_miss && e.l2_misses < 255) ++e.l2_misses;
                // Loads wait for the line; stores (and the hardware's exception-frame writes)
                // retire into the store buffer.
                if (!access.is_store)
                    e.load_penalty = std::max<uint32_t>(
                        e.load_penalty, static_cast<uint32_t>(caches.penalty(outcome)));
            }
        }
        if (insn.trapped) {
            e.trap_penalty = static_cast<uint32_t>(profile.exception_entry.value);
        } else if (s.branch != BranchKind::none) {
            uint64_t fall_through = insn.pc + insn.size;
            if (i + 1 < n || trace.next_pc != 0) {
                e.mispredict =
                    branches.execute(s.branch, insn.pc, fall_through,
                                     i + 1 < n ? trace.instructions[i + 1].pc : trace.next_pc);
            } else if (s.branch == BranchKind::call || s.branch == BranchKind::indirect_call ||
                       s.branch == BranchKind::ret) {
                // The last instruction's successor is not recorded: keep the return stack
                // consistent (push / pop as predicted) without scoring a prediction.
                branches.execute(s.branch == BranchKind::ret ? BranchKind::ret : BranchKind::call,
                                 insn.pc, fall_through, 0);
            }
            if (e.mispredict != MispredictKind::none)
                e.branch_penalty = static_cast<uint32_t>(profile.mispredict_penalty.value);
            if (s.branch == BranchKind::exception_return)
                e.return_penalty = static_cast<uint32_t>(profile.exception_return.value);
        }
        if (events) (*events)[i] = e;
    }
}

Expected<const BaseTimeline*> TimingModel::Impl::schedule(const std::vector<uint32_t>& seq) {
    if (options.memoise) {
        auto it = memo.find(seq);
        if (it != memo.end()) {
            ++stats.memo_hits;
            return &it->second;
        }
    }
    ++stats.memo_misses;
    auto base = mca->run(seq);
    if (!base) return base.take_error();
    if (!options.memoise) memo.clear(); // keep only the latest, to hand out a stable pointer
    auto [it, inserted] = memo.insert_or_assign(seq, std::move(*base));
    return &it->second;
}

// Lays the model's penalties over MCA's schedule and attributes every cycle to a phase: an
// instruction costs the advance of the (monotonic) retire cycle it causes plus its own load
// penalty and mispredict; exception entry goes to Phase::trap. Penalties do not overlap
// with anything (they shift every younger instruction).
void TimingModel::Impl::account(const DynamicTrace& trace, const std::vector<uint32_t>& seq,
                                const BaseTimeline& base, const std::vector<Event>& events,
                                bool warm, CallTiming& out,
                                std::array<CycleMetrics, phase_count>& phases) const {
    const size_t n = seq.size();
    int64_t shift = 0;
    int64_t previous_retire = -1;
    for (size_t i = 0; i < n; ++i) {
        const TraceInstruction& insn = trace.instructions[i];
        const StageCycles& b = base.stages[i];
        const Event& e = events[i];
        int64_t retire = std::max<int64_t>(b.retired, previous_retire);
        int64_t own =
            (retire - previous_retire) + e.load_penalty + e.branch_penalty + e.return_penalty;
        if (i + 1 == n) own += int64_t(base.cycles) - (retire + 1); // trailing pipeline cycles
        previous_retire = retire;

        CycleMetrics& pm = phases[phase_slot(insn.phase)];
        CycleMetrics& tm = phases[phase_slot(Phase::trap)];
        (warm ? pm.cycles_warm : pm.cycles_cold) += own;
        (warm ? tm.cycles_warm : tm.cycles_cold) += e.trap_penalty;
        (warm ? pm.l1d_misses_warm : pm.l1d_misses_cold) += e.l1d_misses;
        (warm ? pm.l2_misses_warm : pm.l2_misses_cold) += e.l2_misses;
        if (e.mispredict != MispredictKind::none)
            ++(warm ? pm.mispredicts_warm : pm.mispredicts_cold);
        if (e.mispredict == MispredictKind::ret)
            ++(warm ? pm.return_mispredicts_warm : pm.return_mispredicts_cold);
        if (warm) { // counts that do not depend on the machine state: once
            ++pm.instructions;
            if (insn.trapped) ++tm.traps;
            if (mca->at(seq[i]).unpriced != Unpriced::no) ++pm.unpriced;
        }

        if (!options.timeline) {
            shift += e.load_penalty + e.branch_penalty + e.trap_penalty + e.return_penalty;
            continue;
        }
        InstructionCycles c;
        c.dispatched = static_cast<uint32_t>(b.dispatched + shift);
        c.issued = static_cast<uint32_t>(b.issued + shift);
        c.executed = static_cast<uint32_t>(b.executed + shift + e.load_penalty);
        c.retired = static_cast<uint32_t>(b.retired + shift + e.load_penalty);
        c.penalty = e.load_penalty + e.branch_penalty + e.trap_penalty + e.return_penalty;
        c.l1d_misses = e.l1d_misses;
        c.l2_misses = e.l2_misses;
        c.mispredict = e.mispredict;
        shift += c.penalty;
        (warm ? out.timeline[i].warm : out.timeline[i].cold) = c;
    }
}

Expected<std::unique_ptr<TimingModel>> TimingModel::create(const CoreProfile& profile,
                                                           TimingOptions options) {
    auto impl = std::make_unique<Impl>(profile, options);
    auto mca = McaTimeline::create(impl->profile);
    if (!mca) return mca.take_error();
    impl->mca = std::move(*mca);
    return std::unique_ptr<TimingModel>(new TimingModel(std::move(impl)));
}

TimingModel::TimingModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TimingModel::~TimingModel() = default;
const CoreProfile& TimingModel::profile() const {
    return impl_->profile;
}
const TimingOptions& TimingModel::options() const {
    return impl_->options;
}

TimingStats TimingModel::stats() const {
    TimingStats s = impl_->stats;
    s.pipelines_run = impl_->mca->pipelines_run();
    s.instructions_simulated = impl_->mca->instructions_simulated();
    return s;
}

Expected<CallTiming> TimingModel::time_calls(std::span<const DynamicTrace> calls) {
    Impl& m = *impl_;
    if (calls.empty()) return make_error("timing: no calls to time");
    for (const DynamicTrace& call : calls) {
        if (call.arch != m.profile.arch)
            return make_error("timing: a {} trace cannot run on core {} ({})", call.arch,
                              m.profile.name, m.profile.arch);
        if (call.instructions.empty()) return make_error("timing: a call executed nothing");
    }
    const DynamicTrace& measured = calls.back();
    const size_t preceding = calls.size() - 1;
    const size_t wanted = static_cast<size_t>(std::max(0, m.options.warmup_calls));
    const size_t from_calls = std::min(preceding, wanted);
    bool self_warmed = m.options.memoise;
    for (size_t k = preceding - from_calls; self_warmed && k < preceding; ++k)
        self_warmed = same_call(calls[k], measured);
    uint64_t key = self_warmed ? hash_call(measured) : 0;
    if (self_warmed) {
        if (auto it = m.results.find(key); it != m.results.end())
            for (const auto& [trace, timing] : it->second)
                if (same_call(trace, measured)) {
                    ++m.stats.result_hits;
                    ++m.stats.calls_timed;
                    return timing;
                }
    }
    std::vector<uint32_t> seq = m.intern(measured);
    auto base = m.schedule(seq);
    if (!base) return base.take_error();

    CallTiming out;
    out.core = m.profile.name;
    if (m.options.timeline) {
        out.timeline.resize(seq.size());
        for (size_t i = 0; i < seq.size(); ++i) {
            const StaticInstruction& s = m.mca->at(seq[i]);
            InstructionTiming& t = out.timeline[i];
            t.pc = s.pc;
            t.phase = measured.instructions[i].phase;
            t.text = s.text;
            if (s.override_index >= 0)
                t.override_match = m.profile.overrides[size_t(s.override_index)].match;
            t.serializing = s.serializing;
            t.trapped = measured.instructions[i].trapped;
            t.unpriced = s.unpriced;
        }
    }
    std::array<CycleMetrics, phase_count> phases{};
    std::vector<Event> events;

    // Cold: the measured stream on an empty machine.
    m.reset_machine();
    m.replay(measured, seq, &events);
    m.account(measured, seq, **base, events, false, out, phases);

    // Warm: replay up to warmup_calls preceding calls (padded with the measured stream).
    m.reset_machine();
    for (size_t k = from_calls; k < wanted; ++k)
        m.replay(measured, seq, nullptr);
    for (size_t k = preceding - from_calls; k < preceding; ++k)
        m.replay(calls[k], m.intern(calls[k]), nullptr);
    m.replay(measured, seq, &events);
    m.account(measured, seq, **base, events, true, out, phases);

    for (Phase p : all_phases) {
        const CycleMetrics& pm = phases[phase_slot(p)];
        if (pm.instructions == 0 && pm.cycles_cold == 0 && pm.cycles_warm == 0) continue;
        out.phases.push_back({p, pm});
        out.total += pm; // every cycle is in exactly one phase
    }
    std::map<uint64_t, UnpricedInstruction> unpriced; // by pc: deterministic order
    for (size_t i = 0; i < seq.size(); ++i) {
        const StaticInstruction& s = m.mca->at(seq[i]);
        if (s.unpriced == Unpriced::no) continue;
        UnpricedInstruction& u = unpriced[s.pc];
        u.pc = s.pc;
        u.text = s.text;
        u.reason = s.unpriced;
        ++u.count;
    }
    for (auto& [pc, u] : unpriced)
        out.unpriced.push_back(std::move(u));
    ++m.stats.calls_timed;
    m.stats.distinct_instructions = m.mca->distinct_instructions();
    if (self_warmed) m.results[key].emplace_back(measured, out);
    return out;
}

} // namespace tracesim
