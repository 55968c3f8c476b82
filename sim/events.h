// What the machine tells its listeners while it runs (the core emits, views listen: counters,
// register checks, timing and trace views are all ExecListeners attached by the command that
// needs them). Adding a metric never touches the emulator loop.
#pragma once

#include "isa/cpu_port.h" // TrapEvent: the architecture's behaviour decodes it

#include <cstdint>

namespace tracesim {

struct InstructionEvent {
    uint64_t pc;
    uint32_t size;
};

struct MemoryEvent {
    uint64_t address;
    uint32_t size;
    bool is_store;
    uint64_t value;   // the value stored (stores only)
    bool by_hardware; // written by the modeled exception entry, not by an instruction
};

class ExecListener {
  public:
    virtual ~ExecListener() = default;
    virtual void on_run_begin(uint64_t initial_sp) {}
    virtual void on_instruction(const InstructionEvent& event) {}
    virtual void on_memory(const MemoryEvent& event) {}
    virtual void on_trap(const TrapEvent& event) {}
    // stop_pc: where execution went after the last instruction (the run's stop address), 0 when
    // the run failed before reaching it.
    virtual void on_run_end(uint64_t stop_pc) {}
};

} // namespace tracesim
