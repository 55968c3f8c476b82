// Records the dynamic trace (timing/trace.h) of every run of a machine: one run = one call.
#pragma once

#include "sim/events.h"
#include "sim/image.h"
#include "timing/trace.h"

namespace tracesim {

// Keeps one DynamicTrace per run, in run order.
class TraceRecorder : public ExecListener {
  public:
    explicit TraceRecorder(const Image& image) : image_(image) {}
    void on_run_begin(uint64_t initial_sp) override;
    void on_instruction(const InstructionEvent& event) override;
    void on_memory(const MemoryEvent& event) override;
    void on_trap(const TrapEvent& event) override;
    void on_run_end(uint64_t stop_pc) override;

    const std::vector<DynamicTrace>& calls() const { return calls_; }

  private:
    const Image& image_;
    std::vector<DynamicTrace> calls_;
};

} // namespace tracesim
