// The CPU as an architecture's behaviour (isa/arch_behaviour.h) sees it. sim/'s Machine implements
// it over Unicorn; the behaviours never see Unicorn's engine, only register ids from its headers.
#pragma once

#include "base/expected.h"
#include "isa/isa.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tracesim {

// An exception Unicorn reported: the trapping instruction, its number, and what decoding it says.
struct TrapEvent {
    uint64_t pc;        // the trapping instruction
    uint32_t kind;      // architecture exception number (3 = #BP, 7 = AArch64 BRK)
    uint32_t immediate; // BRK immediate (arm64); 0 on x86
};

// An arm64 system register Unicorn has no id for (SPSR_EL1), by its MRS/MSR encoding.
struct SysRegEncoding {
    int op0, op1, crn, crm, op2;
};

// The per-CPU area the kernels' %gs / sp_el0 point into (sim/image.h lays it out).
struct PerCpuArea {
    uint64_t base;
    uint64_t size;
    uint64_t offset; // CPU 0's per-CPU offset: x86_64's %gs base, arm64's tpidr_el1
};

class CpuPort {
  public:
    virtual ~CpuPort() = default;

    virtual uint64_t read(const Register& reg) const = 0;
    virtual void write(const Register& reg, uint64_t value) = 0;
    // System registers by Unicorn id (UC_ARM64_REG_ELR_EL1, UC_X86_REG_GS_BASE, ...).
    virtual uint64_t read_id(int uc_id) const = 0;
    virtual Expected<void> write_id(int uc_id, uint64_t value) = 0;
    // x86 descriptor-table registers (UC_X86_REG_GDTR): base and limit.
    virtual Expected<void> write_table_register(int uc_id, uint64_t base, uint32_t limit) = 0;
    virtual Expected<uint64_t> read_sysreg(SysRegEncoding reg) const = 0;
    virtual Expected<void> write_sysreg(SysRegEncoding reg, uint64_t value) = 0;
    virtual Expected<void> read_memory(uint64_t address, std::span<uint8_t> out) const = 0;
    virtual Expected<void> write_memory(uint64_t address, std::span<const uint8_t> bytes) = 0;
    // A store the modeled hardware makes (an exception frame): written, and reported to the
    // listeners as memory traffic of the current phase.
    virtual Expected<void> hardware_store(uint64_t address, uint64_t value) = 0;

    // Where the loaded kernels define `symbol` (asm_exc_int3, vectors, current_task).
    virtual std::optional<uint64_t> address_of(std::string_view symbol) const = 0;
    virtual PerCpuArea percpu_area() const = 0;
    // "PC 0x400213 (int3): kprobe_site+0x3 in ..., phase trap" for error messages.
    virtual std::string describe_pc(uint64_t pc) const = 0;
};

} // namespace tracesim
