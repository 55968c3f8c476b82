#include "sim/trap.h"

#include <unicorn/unicorn.h>

namespace tracesim {

namespace {

constexpr uint32_t x86_breakpoint = 3;   // #BP
constexpr uint32_t arm64_breakpoint = 7; // Unicorn's EXCP_BKPT
constexpr uint64_t x86_kernel_cs = 0x10, x86_kernel_ds = 0x18;
constexpr uint64_t rflags_tf = 1 << 8, rflags_if = 1 << 9, rflags_nt = 1 << 14, rflags_rf = 1 << 16;
constexpr uint64_t pstate_daif = 0xf << 6, pstate_btype = 3 << 10, pstate_il = 1 << 20,
                   pstate_ss = 1 << 21;
constexpr uint64_t esr_ec_brk64 = 0x3c, esr_il = 1 << 25;

Expected<void> deliver_x86_breakpoint(Machine& m, const TrapEvent& trap) {
    const Isa& isa = m.isa();
    auto handler = m.image().address_of("asm_exc_int3");
    if (!handler)
        return make_error("int3 at {} but the kernels define no asm_exc_int3 (IDT vector 3)",
                          m.describe_pc(trap.pc));
    const uint64_t rsp = m.read(isa.sp), rip = m.read(isa.pc), rflags = m.read(isa.flags);
    const uint64_t frame[5] = {rip, x86_kernel_cs, rflags, rsp, x86_kernel_ds}; // lowest first
    const uint64_t top = (rsp & ~uint64_t(15)) - sizeof frame;
    if (auto ok =
            m.write_memory(top, std::span(reinterpret_cast<const uint8_t*>(frame), sizeof frame));
        !ok)
        return make_error("exception frame at {:#x}: {}", top, ok.error().message);
    for (int i = 4; i >= 0; --i) // pushed SS first, RIP last
        m.emit_memory(MemoryEvent{top + 8 * i, 8, true, frame[i], true});
    m.write(isa.sp, top);
    m.write(isa.flags, rflags & ~(rflags_tf | rflags_if | rflags_nt | rflags_rf));
    m.write(isa.pc, *handler);
    return {};
}

Expected<void> deliver_arm64_breakpoint(Machine& m, const TrapEvent& trap) {
    const Isa& isa = m.isa();
    auto vectors = m.image().address_of("vectors");
    if (!vectors)
        return make_error("brk at {} but the kernels define no exception vectors (`vectors`)",
                          m.describe_pc(trap.pc));
    const uint64_t pstate = m.read(isa.flags);
    if (auto ok = m.write_id(UC_ARM64_REG_ELR_EL1, trap.pc); !ok) return ok;
    if (auto ok = m.write_sysreg(3, 0, 4, 0, 0, pstate); !ok) return ok; // SPSR_EL1
    if (auto ok = m.write_id(UC_ARM64_REG_ESR_EL1, esr_ec_brk64 << 26 | esr_il | trap.immediate);
        !ok)
        return ok;
    m.write(isa.flags, (pstate | pstate_daif) & ~(pstate_ss | pstate_il | pstate_btype));
    m.write(isa.pc, *vectors + 0x200); // current EL with SP_ELx, synchronous
    return {};
}

} // namespace

Expected<void> TrapDelivery::deliver(Machine& machine, const TrapEvent& trap) {
    if (machine.isa().arch == Arch::x86_64 && trap.kind == x86_breakpoint)
        return deliver_x86_breakpoint(machine, trap);
    if (machine.isa().arch == Arch::arm64 && trap.kind == arm64_breakpoint)
        return deliver_arm64_breakpoint(machine, trap);
    return make_error("exception {} at {} is not modeled", trap.kind, machine.describe_pc(trap.pc));
}

} // namespace tracesim
