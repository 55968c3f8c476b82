// Counts instructions and memory traffic per phase and in total, from the machine's events.
// Memory accesses belong to the phase of the instruction that made them; those the modeled
// hardware makes (exception frames) belong to phase `trap`.
#pragma once

#include "sim/events.h"
#include "sim/image.h"
#include "sim/metrics.h"

#include <array>
#include <set>

namespace tracesim {

class Counters : public ExecListener {
  public:
    Counters(const Image& image) : image_(image) {}

    void on_run_begin(uint64_t initial_sp) override;
    void on_instruction(const InstructionEvent& event) override;
    void on_memory(const MemoryEvent& event) override;
    void on_trap(const TrapEvent& event) override { ++traps_; }

    Metrics total() const;
    Metrics phase(Phase phase) const;
    bool phase_ran(Phase phase) const;
    int64_t traps() const { return traps_; }

  private:
    struct PhaseState {
        Metrics metrics;
        std::set<uint64_t> lines;
        bool ran = false;
    };
    const Image& image_;
    uint64_t initial_sp_ = 0;
    Phase current_ = Phase::caller;
    std::array<PhaseState, phase_count> phases_{};
    std::set<uint64_t> lines_;
    int64_t max_stack_depth_ = 0;
    int64_t traps_ = 0;
};

} // namespace tracesim
