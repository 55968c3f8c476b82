// The emulated CPU: a Unicorn engine with the image mapped, every hook installed before the first
// run, and every Unicorn call checked. A run starts at an entry address and ends when execution
// reaches the stop address (a code hook stops it: `until` would retranslate on every start,
// in Unicorn 2). Faults, unexpected traps and a blown instruction budget become one error
// naming the PC, the instruction and the phase:
//
//   read of unmapped memory at 0x10 by PC 0x400213 (movq 0x10(%rax), %rdi):
//   ftrace_caller+0x2b in kernels/x86_64/paths/ftrace_caller.S, phase save
#pragma once

#include "isa/disassembler.h"
#include "base/expected.h"
#include "isa/isa.h"
#include "sim/events.h"
#include "sim/image.h"

#include <memory>
#include <optional>
#include <vector>

struct uc_struct;

namespace tracesim {

class Machine;

// Performs the architectural part of an exception the CPU took (Unicorn only reports it).
class TrapHandler {
  public:
    virtual ~TrapHandler() = default;
    virtual Expected<void> deliver(Machine& machine, const TrapEvent& trap) = 0;
};

class Machine {
  public:
    // Maps the image's regions and writes its bytes; the image must outlive the machine.
    static Expected<std::unique_ptr<Machine>> create(const Image& image);
    ~Machine();
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    const Isa& isa() const { return isa_; }
    const Image& image() const { return image_; }

    void add_listener(ExecListener* listener) { listeners_.push_back(listener); }
    void set_trap_handler(TrapHandler* handler) { trap_handler_ = handler; }
    // Lets a trap handler report memory the modeled hardware wrote (e.g. the x86 exception frame).
    void emit_memory(const MemoryEvent& event);

    uint64_t read(const Register& reg) const;
    void write(const Register& reg, uint64_t value);
    // System registers by Unicorn id (UC_ARM64_REG_ELR_EL1, UC_X86_REG_GS_BASE, ...).
    uint64_t read_id(int uc_id) const;
    Expected<void> write_id(int uc_id, uint64_t value);
    // arm64 system registers Unicorn has no id for (SPSR_EL1): by encoding.
    Expected<uint64_t> read_sysreg(int op0, int op1, int crn, int crm, int op2) const;
    Expected<void> write_sysreg(int op0, int op1, int crn, int crm, int op2, uint64_t value);
    Expected<void> read_memory(uint64_t address, std::span<uint8_t> out) const;
    Expected<void> write_memory(uint64_t address, std::span<const uint8_t> bytes);
    // Re-writes code after the image changed (Unicorn flushes the translations of those pages).
    Expected<void> reload_text();

    // Runs from `entry` until `stop_at` is reached; at most `budget` instructions.
    Expected<void> run(uint64_t entry, uint64_t stop_at, uint64_t budget);
    uint64_t instructions_executed() const { return executed_; }

    // "PC 0x400213 (movq 0x10(%rax), %rdi): ftrace_caller+0x2b in ..., phase save"
    std::string describe_pc(uint64_t pc) const;

  private:
    Machine(const Image& image);
    // Segments and a GDT (x86_64, so iretq works), per-CPU base (gs / sp_el0), vector base.
    Expected<void> prepare_cpu();
    static void on_code(uc_struct* uc, uint64_t address, uint32_t size, void* self);
    static void on_mem(uc_struct* uc, int type, uint64_t address, int size, int64_t value,
                       void* self);
    static bool on_invalid(uc_struct* uc, int type, uint64_t address, int size, int64_t value,
                           void* self);
    static void on_interrupt(uc_struct* uc, uint32_t number, void* self);
    void fail(Error error);
    void complete_eret(uint64_t pc);

    const Image& image_;
    const Isa& isa_;
    uc_struct* uc_ = nullptr;
    std::vector<ExecListener*> listeners_;
    TrapHandler* trap_handler_ = nullptr;
    mutable std::unique_ptr<Disassembler> disassembler_;
    uint64_t stop_at_ = 0;
    uint64_t budget_ = 0;
    uint64_t executed_ = 0;
    uint64_t last_pc_ = 0;
    bool reached_stop_ = false;
    // arm64: Unicorn 2.0.1 (QEMU 5.0) drops PSTATE.DIT, SSBS and TCO on eret, features it does not
    // implement; we put back what SPSR_EL1 held, as a CPU with them does (docs/method.md).
    std::vector<bool> is_eret_;         // per 4-byte text word
    std::optional<uint64_t> eret_spsr_; // SPSR_EL1 of the eret that just ran
    std::optional<Error> failure_;
};

} // namespace tracesim
