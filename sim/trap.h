// The architectural part of an exception, which Unicorn leaves to its host: Unicorn reports an
// int3 or brk to a hook; TrapDelivery then does what the CPU would (the architecture's
// ArchBehaviour::enter_exception, isa/<arch>_behaviour.cpp), and the kernel's own entry code (our
// assembly) runs from the vector. Its exception return (iretq / eret) runs natively.
//
//   x86_64 #BP (int3), interrupt gate at CPL0: RSP aligned down to 16; push SS (__KERNEL_DS), the
//     old RSP, RFLAGS, CS (__KERNEL_CS), RIP (after the int3) — 40 bytes, counted as phase `trap`
//     memory; clear IF, TF, NT and RF; jump to `asm_exc_int3`.
//   arm64 synchronous exception from EL1h (BRK #imm): ELR_EL1 = the BRK, SPSR_EL1 = PSTATE whole,
//     ESR_EL1 = EC 0x3c | IL | imm; PSTATE gets D, A, I, F set and SS, IL, BTYPE cleared; stay at
//     EL1h; jump to VBAR_EL1 + 0x200 (`vectors` + 0x200). No memory is written.
#pragma once

#include "sim/machine.h"

namespace tracesim {

class TrapDelivery : public TrapHandler {
  public:
    Expected<void> deliver(Machine& machine, const TrapEvent& trap) override;
};

} // namespace tracesim
