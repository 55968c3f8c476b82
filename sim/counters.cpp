#include "sim/counters.h"

#include <algorithm>

namespace tracesim {

void Counters::on_run_begin(uint64_t initial_sp) {
    initial_sp_ = initial_sp;
    current_ = Phase::caller;
    phases_ = {};
    lines_.clear();
    max_stack_depth_ = 0;
    traps_ = 0;
}

void Counters::on_instruction(const InstructionEvent& event) {
    // Code outside any phase cannot exist in a linked image; outside the text it is a fault
    // the machine reports, so keeping the previous phase here is never observable.
    if (auto phase = image_.phase_at(event.pc)) current_ = *phase;
    PhaseState& state = phases_[static_cast<size_t>(current_)];
    state.ran = true;
    ++state.metrics.instructions;
}

void Counters::on_memory(const MemoryEvent& event) {
    PhaseState& state = phases_[static_cast<size_t>(event.by_hardware ? Phase::trap : current_)];
    state.ran = true;
    if (event.is_store) {
        ++state.metrics.stores;
        state.metrics.bytes_stored += event.size;
    } else {
        ++state.metrics.loads;
        state.metrics.bytes_loaded += event.size;
    }
    for (uint64_t line = event.address / 64; line <= (event.address + event.size - 1) / 64;
         ++line) {
        state.lines.insert(line);
        lines_.insert(line);
    }
    const MemoryLayout& l = image_.layout;
    if (event.address >= l.stack_base && event.address < initial_sp_) {
        int64_t depth = static_cast<int64_t>(initial_sp_ - event.address);
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
