// The emulated CPU: a Unicorn engine with the image mapped, every hook installed before the first
// run, and every Unicorn call checked. A run starts at an entry address and ends when execution
// reaches the stop address (a code hook stops it: `until` would retranslate on every start,
// in Unicorn 2). Faults, unexpected traps and a blown instruction budget become one error
// naming the PC, the instruction and the phase:
//
//   read of unmapped memory at 0x10 by PC 0x400213 (movq 0x10(%rax), %rdi):
//   ftrace_caller+0x2b in kernels/x86_64/paths/ftrace_caller.S, phase save
#pragma once

#include "base/expected.h"
#include "isa/arch_behaviour.h"
#include "isa/disassembler.h"
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

// The engine's side of isa/'s CpuPort: the architecture's behaviour (CPU setup, exception entry,
// the eret fix-up) runs through it.
class Machine final : public CpuPort {
  public:
    // Maps the image's regions and writes its bytes; the image must outlive the machine.
    static Expected<std::unique_ptr<Machine>> create(const Image& image);
    ~Machine() override;
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    const Isa& isa() const { return isa_; }
    const Image& image() const { return image_; }

    void add_listener(ExecListener* listener) { listeners_.push_back(listener); }
    void set_trap_handler(TrapHandler* handler) { trap_handler_ = handler; }
    uint64_t read(const Register& reg) const override;
    void write(const Register& reg, uint64_t value) override;
    uint64_t read_id(int uc_id) const override;
    Expected<void> write_id(int uc_id, uint64_t value) override;
    Expected<void> write_table_register(int uc_id, uint64_t base, uint32_t limit) override;
    Expected<uint64_t> read_sysreg(SysRegEncoding reg) const override;
    Expected<void> write_sysreg(SysRegEncoding reg, uint64_t value) override;
    Expected<void> read_memory(uint64_t address, std::span<uint8_t> out) const override;
    Expected<void> write_memory(uint64_t address, std::span<const uint8_t> bytes) override;
    Expected<void> hardware_store(uint64_t address, uint64_t value) override;
    std::optional<uint64_t> address_of(std::string_view symbol) const override {
        return image_.address_of(symbol);
    }
    PerCpuArea percpu_area() const override {
        return {image_.layout.percpu_base, image_.layout.percpu_size, image_.layout.percpu_offset};
    }
    // Re-writes code after the image changed (Unicorn flushes the translations of those pages).
    Expected<void> reload_text();

    // Runs from `entry` until `stop_at` is reached; at most `budget` instructions.
    Expected<void> run(uint64_t entry, uint64_t stop_at, uint64_t budget);
    uint64_t instructions_executed() const { return executed_; }

    // "PC 0x400213 (movq 0x10(%rax), %rdi): ftrace_caller+0x2b in ..., phase save"
    std::string describe_pc(uint64_t pc) const override;

  private:
    Machine(const Image& image);
    // `current_task` in the per-CPU area, then the architecture's own setup.
    Expected<void> prepare_cpu();
    static void on_code(uc_struct* uc, uint64_t address, uint32_t size, void* self);
    static void on_mem(uc_struct* uc, int type, uint64_t address, int size, int64_t value,
                       void* self);
    static bool on_invalid(uc_struct* uc, int type, uint64_t address, int size, int64_t value,
                           void* self);
    static void on_interrupt(uc_struct* uc, uint32_t number, void* self);
    void fail(Error error);
    void mend_exception_return(uint64_t pc);

    const Image& image_;
    const Isa& isa_;
    const ArchBehaviour& behaviour_;
    uc_struct* uc_ = nullptr;
    std::vector<ExecListener*> listeners_;
    TrapHandler* trap_handler_ = nullptr;
    mutable std::unique_ptr<Disassembler> disassembler_;
    uint64_t stop_at_ = 0;
    uint64_t budget_ = 0;
    uint64_t executed_ = 0;
    uint64_t last_pc_ = 0;
    bool reached_stop_ = false;
    // The behaviour's exception-return fix-up (arm64 eret): which text words are one, and the
    // state kept before the one that just ran.
    uint32_t return_stride_ = 0;            // the behaviour's, kept off the per-instruction path
    std::vector<bool> is_exception_return_; // per text word of that stride
    std::optional<uint64_t> state_before_return_;
    std::optional<Error> failure_;
};

} // namespace tracesim
