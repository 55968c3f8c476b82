// What an architecture does that the engine must do for it, as LLVM MCA's per-target
// CustomBehaviour does for its pipeline: set the CPU up as the kernel's early boot leaves it,
// decode and take the exceptions Unicorn only reports, and mend Unicorn's gaps on exception
// return. The data that differs (flag bits, register truth, pricing traits) is in the Isa
// (isa/isa.h); the code is here, one implementation per architecture next to its Isa table
// (isa/x86_64.cpp, isa/arm64.cpp).
//
//   const ArchBehaviour& arch = behaviour_for(Arch::arm64);
//   arch.prepare_cpu(machine);                       // before the first run
//   TrapEvent trap = arch.decode_trap(machine, 7, pc);
//   arch.enter_exception(machine, trap);             // PC now at the kernel's vector
#pragma once

#include "isa/cpu_port.h"

namespace tracesim {

class ArchBehaviour {
  public:
    virtual ~ArchBehaviour() = default;

    // Before the first run: segments, system registers, the per-CPU base and the vector base the
    // paths rely on, from the symbols the kernels define.
    virtual Expected<void> prepare_cpu(CpuPort& cpu) const = 0;

    // The exception Unicorn reported as interrupt `number`, the trapping instruction at `pc`.
    virtual TrapEvent decode_trap(const CpuPort& cpu, uint32_t number, uint64_t pc) const = 0;
    // What names the trap in an error beyond its number (", brk #0x4"), or "".
    virtual std::string describe_trap(const TrapEvent& trap) const = 0;
    // Does what the CPU does on taking the exception, up to the first instruction of the kernel's
    // handler; an error for an exception not modeled.
    virtual Expected<void> enter_exception(CpuPort& cpu, const TrapEvent& trap) const = 0;

    // Exception return that Unicorn completes wrongly. The engine marks the instructions for which
    // `is_exception_return` holds when it loads the text; before one runs it keeps
    // `state_before_return`, and at the next instruction hands it to `complete_return`.
    virtual bool is_exception_return(std::span<const uint8_t> instruction) const { return false; }
    virtual std::optional<uint64_t> state_before_return(const CpuPort&) const {
        return std::nullopt;
    }
    virtual void complete_return(CpuPort&, uint64_t /*state*/) const {}
    // The instruction size the text is scanned by for exception returns; 0: never needed.
    virtual uint32_t exception_return_stride() const { return 0; }
};

const ArchBehaviour& behaviour_for(Arch arch);

// What enter_exception says of an exception its architecture does not model.
Error exception_not_modeled(const CpuPort& cpu, const TrapEvent& trap);

} // namespace tracesim
