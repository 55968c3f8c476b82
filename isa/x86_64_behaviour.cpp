// x86_64 behaviour (isa/arch_behaviour.h): a GDT so iretq runs natively, and the #BP (int3) entry.
#include "isa/arch_behaviour.h"

#include <unicorn/unicorn.h>

namespace tracesim {

namespace {

constexpr uint32_t breakpoint = 3; // #BP
constexpr uint64_t kernel_cs = 0x10, kernel_ds = 0x18;
constexpr uint64_t rflags_tf = 1 << 8, rflags_if = 1 << 9, rflags_nt = 1 << 14, rflags_rf = 1 << 16;

class X86_64Behaviour final : public ArchBehaviour {
  public:
    // A GDT with the kernel's code and data descriptors at __KERNEL_CS / __KERNEL_DS, so that
    // iretq (which reloads CS and SS) runs natively; it lives at the top of the per-CPU area.
    // %gs's base is CPU 0's per-CPU offset (sim/layout.h): `%gs:var(%rip)` is one access at var.
    Expected<void> prepare_cpu(CpuPort& cpu) const override {
        const PerCpuArea percpu = cpu.percpu_area();
        const uint64_t gdt_base = percpu.base + percpu.size - 0x1000;
        const uint64_t gdt[4] = {0, 0, 0x00af9a000000ffffull /* 64-bit code */,
                                 0x00cf92000000ffffull /* data */};
        if (auto ok = cpu.write_memory(
                gdt_base, std::span(reinterpret_cast<const uint8_t*>(gdt), sizeof gdt));
            !ok)
            return ok;
        if (auto ok = cpu.write_table_register(UC_X86_REG_GDTR, gdt_base, sizeof gdt - 1); !ok)
            return ok;
        for (auto [id, selector] : {std::pair{UC_X86_REG_CS, kernel_cs},
                                    {UC_X86_REG_SS, kernel_ds},
                                    {UC_X86_REG_DS, kernel_ds},
                                    {UC_X86_REG_ES, kernel_ds}})
            if (auto ok = cpu.write_id(id, selector); !ok) return ok;
        return cpu.write_id(UC_X86_REG_GS_BASE, percpu.offset);
    }

    TrapEvent decode_trap(const CpuPort&, uint32_t number, uint64_t pc) const override {
        return {pc, number, 0};
    }
    std::string describe_trap(const TrapEvent&) const override { return ""; }

    // Interrupt gate at CPL0: RSP aligned down to 16; push SS, the old RSP, RFLAGS, CS and RIP
    // (after the int3), 40 bytes of hardware stores; clear TF, IF, NT and RF; jump to the IDT's
    // vector 3 handler.
    Expected<void> enter_exception(CpuPort& cpu, const TrapEvent& trap) const override {
        if (trap.kind != breakpoint) return exception_not_modeled(cpu, trap);
        const Isa& isa = isa_for(Arch::x86_64);
        auto handler = cpu.address_of("asm_exc_int3");
        if (!handler)
            return make_error("int3 at {} but the kernels define no asm_exc_int3 (IDT vector 3)",
                              cpu.describe_pc(trap.pc));
        const uint64_t rsp = cpu.read(isa.sp), rip = cpu.read(isa.pc), rflags = cpu.read(isa.flags);
        const uint64_t frame[5] = {rip, kernel_cs, rflags, rsp, kernel_ds}; // lowest first
        const uint64_t top = (rsp & ~uint64_t(15)) - sizeof frame;
        for (int i = 4; i >= 0; --i) // pushed SS first, RIP last
            if (auto ok = cpu.hardware_store(top + 8 * i, frame[i]); !ok)
                return make_error("exception frame at {:#x}: {}", top, ok.error().message);
        cpu.write(isa.sp, top);
        cpu.write(isa.flags, rflags & ~(rflags_tf | rflags_if | rflags_nt | rflags_rf));
        cpu.write(isa.pc, *handler);
        return {};
    }
};

} // namespace

const ArchBehaviour& x86_64_behaviour() {
    static const X86_64Behaviour behaviour;
    return behaviour;
}

} // namespace tracesim
