// arm64 behaviour (isa/arch_behaviour.h): EL1 as AArch64, the BRK synchronous exception, and
// the PSTATE bits Unicorn drops on eret.
#include "isa/arch_behaviour.h"

#include <cstring>
#include <fmt/format.h>
#include <unicorn/unicorn.h>

namespace tracesim {

namespace {

constexpr uint32_t breakpoint = 7; // Unicorn's EXCP_BKPT: PC still at the BRK
constexpr uint32_t eret = 0xd69f03e0;
constexpr SysRegEncoding spsr_el1{3, 0, 4, 0, 0}, scr_el3{3, 6, 1, 1, 0}, hcr_el2{3, 4, 1, 1, 0};
constexpr uint64_t pstate_daif = 0xf << 6, pstate_btype = 3 << 10, pstate_il = 1 << 20,
                   pstate_ss = 1 << 21;
constexpr uint64_t pstate_tco = 1ull << 25, pstate_dit = 1ull << 24, pstate_ssbs = 1ull << 12;
constexpr uint64_t esr_ec_brk64 = 0x3c, esr_il = 1 << 25;

class Arm64Behaviour final : public ArchBehaviour {
  public:
    Expected<void> prepare_cpu(CpuPort& cpu) const override {
        // Unicorn leaves SCR_EL3.RW and HCR_EL2.RW clear, which declares EL1 AArch32: every eret
        // would then be an illegal return (PSTATE.IL set). A real arm64 kernel's EL1 is AArch64.
        if (auto ok = cpu.write_sysreg(scr_el3, 1ull << 10); !ok) return ok;
        if (auto ok = cpu.write_sysreg(hcr_el2, 1ull << 31); !ok) return ok;
        // Per-CPU data is CPU 0's copy at its link address: tpidr_el1, the per-CPU offset the
        // kernel adds to a per-CPU variable's address, is the layout's (sim/layout.h).
        if (auto ok = cpu.write_id(UC_ARM64_REG_TPIDR_EL1, cpu.percpu_area().offset); !ok)
            return ok;
        // The kernel keeps `current` in sp_el0.
        if (auto ok = cpu.write_id(UC_ARM64_REG_SP_EL0,
                                   cpu.address_of("current_task").value_or(cpu.percpu_area().base));
            !ok)
            return ok;
        if (auto vectors = cpu.address_of("vectors"))
            return cpu.write_id(UC_ARM64_REG_VBAR_EL1, *vectors);
        return {};
    }

    TrapEvent decode_trap(const CpuPort& cpu, uint32_t number, uint64_t pc) const override {
        TrapEvent trap{pc, number, 0};
        if (number == breakpoint) {
            uint8_t bytes[4] = {};
            uint32_t insn = 0;
            if (cpu.read_memory(pc, bytes)) std::memcpy(&insn, bytes, 4);
            trap.immediate = (insn >> 5) & 0xffff;
        }
        return trap;
    }
    std::string describe_trap(const TrapEvent& trap) const override {
        return fmt::format(", brk #{:#x}", trap.immediate);
    }

    // Synchronous exception from EL1h: ELR_EL1 = the BRK, SPSR_EL1 = PSTATE whole, ESR_EL1 =
    // EC 0x3c | IL | imm; PSTATE gets D, A, I, F set and SS, IL, BTYPE cleared; stay at EL1h;
    // jump to VBAR_EL1 + 0x200. No memory is written.
    Expected<void> enter_exception(CpuPort& cpu, const TrapEvent& trap) const override {
        if (trap.kind != breakpoint) return exception_not_modeled(cpu, trap);
        const Isa& isa = isa_for(Arch::arm64);
        auto vectors = cpu.address_of("vectors");
        if (!vectors)
            return make_error("brk at {} but the kernels define no exception vectors (`vectors`)",
                              cpu.describe_pc(trap.pc));
        const uint64_t pstate = cpu.read(isa.flags);
        if (auto ok = cpu.write_id(UC_ARM64_REG_ELR_EL1, trap.pc); !ok) return ok;
        if (auto ok = cpu.write_sysreg(spsr_el1, pstate); !ok) return ok;
        if (auto ok =
                cpu.write_id(UC_ARM64_REG_ESR_EL1, esr_ec_brk64 << 26 | esr_il | trap.immediate);
            !ok)
            return ok;
        cpu.write(isa.flags, (pstate | pstate_daif) & ~(pstate_ss | pstate_il | pstate_btype));
        cpu.write(isa.pc, *vectors + 0x200); // current EL with SP_ELx, synchronous
        return {};
    }

    // Unicorn 2.0.1 (QEMU 5.0) drops PSTATE.DIT, SSBS and TCO on eret, features it does not
    // implement; we put back what SPSR_EL1 held, as a CPU with them does (docs/method.md).
    uint32_t exception_return_stride() const override { return 4; }
    bool is_exception_return(std::span<const uint8_t> instruction) const override {
        uint32_t word = 0;
        if (instruction.size() < 4) return false;
        std::memcpy(&word, instruction.data(), 4);
        return word == eret;
    }
    std::optional<uint64_t> state_before_return(const CpuPort& cpu) const override {
        if (auto spsr = cpu.read_sysreg(spsr_el1)) return *spsr;
        return std::nullopt;
    }
    void complete_return(CpuPort& cpu, uint64_t spsr) const override {
        constexpr uint64_t kept = pstate_tco | pstate_dit | pstate_ssbs;
        const Register& flags = isa_for(Arch::arm64).flags;
        cpu.write(flags, (cpu.read(flags) & ~kept) | (spsr & kept));
    }
};

} // namespace

const ArchBehaviour& arm64_behaviour() {
    static const Arm64Behaviour behaviour;
    return behaviour;
}

} // namespace tracesim
