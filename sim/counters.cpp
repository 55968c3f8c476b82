#include "sim/counters.h"

#include <algorithm>

namespace tracesim {

void Counters::on_run_begin(uint64_t initial_sp) {
    begin(initial_sp, image_->layout.stack_base);
}

void Counters::begin(uint64_t initial_sp, uint64_t stack_low) {
    initial_sp_ = initial_sp;
    stack_low_ = stack_low;
    current_ = Phase::caller;
    phases_ = {};
    lines_.clear();
    max_stack_depth_ = 0;
    traps_ = 0;
}

void Counters::on_instruction(const InstructionEvent& event) {
    // Code outside any phase cannot exist in a linked image; outside the text it is a fault
    // the machine reports, so keeping the previous phase here is never observable.
    if (auto phase = image_->phase_at(event.pc)) current_ = *phase;
    tally_instruction(current_);
}

void Counters::on_memory(const MemoryEvent& event) {
    tally_access(event.by_hardware ? Phase::trap : current_, event.address, event.size,
                 event.is_store);
}

void Counters::count_trace(const DynamicTrace& trace, uint64_t initial_sp, uint64_t stack_low) {
    begin(initial_sp, stack_low);
    for (const TraceInstruction& insn : trace.instructions) {
        tally_instruction(insn.phase);
        if (insn.trapped) ++traps_;
        for (uint32_t a = 0; a < insn.access_count; ++a) {
            const TraceAccess& access = trace.accesses[insn.first_access + a];
            tally_access(access.by_hardware ? Phase::trap : insn.phase, access.address,
                         access.size, access.is_store);
        }
    }
}

void Counters::tally_instruction(Phase phase) {
    PhaseState& state = phases_[static_cast<size_t>(phase)];
    state.ran = true;
    ++state.metrics.instructions;
}

void Counters::tally_access(Phase phase, uint64_t address, uint32_t size, bool is_store) {
    PhaseState& state = phases_[static_cast<size_t>(phase)];
    state.ran = true;
    if (is_store) {
        ++state.metrics.stores;
        state.metrics.bytes_stored += size;
    } else {
        ++state.metrics.loads;
        state.metrics.bytes_loaded += size;
    }
    for (uint64_t line = address / 64; line <= (address + size - 1) / 64; ++line) {
        state.lines.insert(line);
        lines_.insert(line);
    }
    if (address >= stack_low_ && address < initial_sp_) {
        int64_t depth = static_cast<int64_t>(initial_sp_ - address);
        state.metrics.max_stack_depth = std::max(state.metrics.max_stack_depth, depth);
        max_stack_depth_ = std::max(max_stack_depth_, depth);
    }
}

Metrics Counters::phase(Phase phase) const {
    const PhaseState& state = phases_[static_cast<size_t>(phase)];
    Metrics m = state.metrics;
    m.lines_touched = static_cast<int64_t>(state.lines.size());
    return m;
}

bool Counters::phase_ran(Phase phase) const {
    return phases_[static_cast<size_t>(phase)].ran;
}

Metrics Counters::total() const {
    Metrics m;
    for (Phase p : all_phases) {
        Metrics part = phase(p);
        m.instructions += part.instructions;
        m.loads += part.loads;
        m.stores += part.stores;
        m.bytes_loaded += part.bytes_loaded;
        m.bytes_stored += part.bytes_stored;
    }
    m.lines_touched = static_cast<int64_t>(lines_.size());
    m.max_stack_depth = max_stack_depth_;
    return m;
}

} // namespace tracesim
