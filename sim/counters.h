// Counts instructions and memory traffic per phase and in total, from the machine's events or
// from a recorded dynamic trace (a booted kernel's call: sim/boot/), through the same tallies.
// Memory accesses belong to the phase of the instruction that made them; those the modeled
// hardware makes (exception frames) belong to phase `trap`.
#pragma once

#include "sim/events.h"
#include "sim/image.h"
#include "sim/metrics.h"
#include "timing/trace.h"

#include <array>
#include <set>

namespace tracesim {

class Counters : public ExecListener {
  public:
    Counters(const Image& image) : image_(&image) {}
    Counters() = default; // for count_trace only

    // Counts one recorded call: the stack is [stack_low, initial_sp).
    void count_trace(const DynamicTrace& trace, uint64_t initial_sp, uint64_t stack_low);

    void on_run_begin(uint64_t initial_sp) override;
    void on_instruction(const InstructionEvent& event) override;
    void on_memory(const MemoryEvent& event) override;
    void on_trap(const TrapEvent& event) override { ++traps_; }

    Metrics total() const;
    Metrics phase(Phase phase) const;
    bool phase_ran(Phase phase) const;
    int64_t traps() const { return traps_; }

  private:
    void begin(uint64_t initial_sp, uint64_t stack_low);
    void tally_instruction(Phase phase);
    void tally_access(Phase phase, uint64_t address, uint32_t size, bool is_store);

    struct PhaseState {
        Metrics metrics;
        std::set<uint64_t> lines;
        bool ran = false;
    };
    const Image* image_ = nullptr;
    uint64_t initial_sp_ = 0;
    uint64_t stack_low_ = 0;
    Phase current_ = Phase::caller;
    std::array<PhaseState, phase_count> phases_{};
    std::set<uint64_t> lines_;
    int64_t max_stack_depth_ = 0;
    int64_t traps_ = 0;
};

} // namespace tracesim
