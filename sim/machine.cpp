#include "sim/machine.h"

#include <cstring>
#include <unicorn/unicorn.h>

namespace tracesim {

namespace {

// Every Unicorn call goes through here.
Expected<void> uc_check(uc_err status, std::string_view what) {
    if (status == UC_ERR_OK) return {};
    return make_error("unicorn: {}: {}", what, uc_strerror(status));
}

// An address execution can never reach: runs end through the stop hook, never through `until`.
constexpr uint64_t never_reached = 0xffff'ffff'ffff'fff0;

} // namespace

Machine::Machine(const Image& image)
    : image_(image), isa_(isa_for(image.arch)), behaviour_(behaviour_for(image.arch)) {}

Machine::~Machine() {
    if (uc_) uc_close(uc_);
}

Expected<std::unique_ptr<Machine>> Machine::create(const Image& image) {
    std::unique_ptr<Machine> m(new Machine(image));
    const Isa& isa = m->isa_;
    if (auto ok = uc_check(
            uc_open(static_cast<uc_arch>(isa.uc_arch), static_cast<uc_mode>(isa.uc_mode), &m->uc_),
            "open");
        !ok)
        return ok.take_error();
    // The CPU model must be chosen before the first map or register access.
    if (auto ok = uc_check(uc_ctl_set_cpu_model(m->uc_, isa.uc_cpu_model), "set cpu model"); !ok)
        return ok.take_error();
    const MemoryLayout& l = image.layout;
    struct Region {
        uint64_t base, size;
        uint32_t prot;
        const char* name;
    };
    for (Region r : {Region{l.text_base, l.text_size, UC_PROT_READ | UC_PROT_EXEC, "text"},
                     Region{l.data_base, l.data_size, UC_PROT_READ | UC_PROT_WRITE, "data"},
                     Region{l.percpu_base, l.percpu_size, UC_PROT_READ | UC_PROT_WRITE, "per-cpu"},
                     Region{l.stack_base, l.stack_size, UC_PROT_READ | UC_PROT_WRITE, "stack"}}) {
        if (auto ok =
                uc_check(uc_mem_map(m->uc_, r.base, r.size, r.prot), std::string("map ") + r.name);
            !ok)
            return ok.take_error();
    }
    for (const ForeignRegion& r : image.foreign) {
        if (auto ok =
                uc_check(uc_mem_map(m->uc_, r.base, r.bytes.size(), UC_PROT_ALL), "map " + r.name);
            !ok)
            return ok.take_error();
        if (auto ok = m->write_memory(r.base, r.bytes); !ok) return ok.take_error();
    }
    if (auto ok = m->reload_text(); !ok) return ok.take_error();
    if (auto ok = m->prepare_cpu(); !ok) return ok.take_error();
    if (auto ok = m->write_memory(l.data_base, image.data); !ok) return ok.take_error();

    uc_hook hook;
    void* self = m.get();
    struct HookSpec {
        int type;
        void* callback;
        const char* name;
    };
    for (HookSpec h :
         {HookSpec{UC_HOOK_CODE, reinterpret_cast<void*>(&Machine::on_code), "code"},
          HookSpec{UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(&Machine::on_mem),
                   "memory"},
          HookSpec{UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&Machine::on_invalid),
                   "invalid memory"},
          HookSpec{UC_HOOK_INTR, reinterpret_cast<void*>(&Machine::on_interrupt), "interrupt"}}) {
        if (auto ok = uc_check(uc_hook_add(m->uc_, &hook, h.type, h.callback, self, 1, 0),
                               std::string("hook ") + h.name);
            !ok)
            return ok.take_error();
    }
    return m;
}

Expected<void> Machine::reload_text() {
    return_stride_ = behaviour_.exception_return_stride();
    if (return_stride_) {
        is_exception_return_.assign(image_.text.size() / return_stride_, false);
        for (size_t i = 0; i + return_stride_ <= image_.text.size(); i += return_stride_)
            is_exception_return_[i / return_stride_] =
                behaviour_.is_exception_return(std::span(image_.text.data() + i, return_stride_));
    }
    return write_memory(image_.layout.text_base, image_.text);
}

Expected<void> Machine::prepare_cpu() {
    // The per-CPU area's first word points at the current task (x86 pcpu_hot.current_task sits at
    // %gs:0 in 6.x; arm64 keeps `current` in sp_el0), when the kernels define one.
    if (auto task = image_.address_of("current_task")) {
        uint8_t bytes[8];
        std::memcpy(bytes, &*task, 8);
        if (auto ok = write_memory(image_.layout.percpu_base, bytes); !ok) return ok;
    }
    return behaviour_.prepare_cpu(*this);
}

uint64_t Machine::read_id(int uc_id) const {
    uint64_t value = 0;
    uc_reg_read(uc_, uc_id, &value);
    return value;
}

Expected<void> Machine::write_id(int uc_id, uint64_t value) {
    return uc_check(uc_reg_write(uc_, uc_id, &value), fmt::format("write register {}", uc_id));
}

Expected<void> Machine::write_table_register(int uc_id, uint64_t base, uint32_t limit) {
    uc_x86_mmr mmr{0, base, limit, 0};
    return uc_check(uc_reg_write(uc_, uc_id, &mmr), fmt::format("write register {}", uc_id));
}

static uc_arm64_cp_reg cp_reg(SysRegEncoding r, uint64_t value) {
    return {static_cast<uint32_t>(r.crn), static_cast<uint32_t>(r.crm),
            static_cast<uint32_t>(r.op0), static_cast<uint32_t>(r.op1),
            static_cast<uint32_t>(r.op2), value};
}

Expected<uint64_t> Machine::read_sysreg(SysRegEncoding encoding) const {
    uc_arm64_cp_reg reg = cp_reg(encoding, 0);
    if (auto ok = uc_check(uc_reg_read(uc_, UC_ARM64_REG_CP_REG, &reg), "read system register");
        !ok)
        return ok.take_error();
    return reg.val;
}

Expected<void> Machine::write_sysreg(SysRegEncoding encoding, uint64_t value) {
    uc_arm64_cp_reg reg = cp_reg(encoding, value);
    return uc_check(uc_reg_write(uc_, UC_ARM64_REG_CP_REG, &reg), "write system register");
}

uint64_t Machine::read(const Register& reg) const {
    uint64_t value = 0;
    uc_reg_read(uc_, reg.uc_id, &value); // register ids come from isa/, so this cannot fail
    return value;
}

void Machine::write(const Register& reg, uint64_t value) {
    uc_reg_write(uc_, reg.uc_id, &value);
}

Expected<void> Machine::read_memory(uint64_t address, std::span<uint8_t> out) const {
    return uc_check(uc_mem_read(uc_, address, out.data(), out.size()),
                    fmt::format("read {} bytes at {:#x}", out.size(), address));
}

Expected<void> Machine::write_memory(uint64_t address, std::span<const uint8_t> bytes) {
    return uc_check(uc_mem_write(uc_, address, bytes.data(), bytes.size()),
                    fmt::format("write {} bytes at {:#x}", bytes.size(), address));
}

Expected<void> Machine::hardware_store(uint64_t address, uint64_t value) {
    uint8_t bytes[8];
    std::memcpy(bytes, &value, 8);
    if (auto ok = write_memory(address, bytes); !ok) return ok;
    const MemoryEvent event{address, 8, true, value, true};
    for (ExecListener* l : listeners_)
        l->on_memory(event);
    return {};
}

std::string Machine::describe_pc(uint64_t pc) const {
    std::string instruction = "?";
    uint8_t bytes[16] = {};
    if (read_memory(pc, bytes)) {
        if (!disassembler_) disassembler_ = std::make_unique<Disassembler>(image_.arch);
        if (auto decoded = disassembler_->decode(bytes, pc))
            instruction = decoded->text;
        else
            instruction = "undecodable bytes";
    } else {
        instruction = "unmapped";
    }
    return fmt::format("PC {:#x} ({}): {}", pc, instruction, image_.describe(pc));
}

void Machine::fail(Error error) {
    if (!failure_) failure_ = std::move(error);
    uc_emu_stop(uc_);
}

void Machine::on_code(uc_struct* uc, uint64_t address, uint32_t size, void* self) {
    auto& m = *static_cast<Machine*>(self);
    m.last_pc_ = address;
    if (!m.is_exception_return_.empty()) m.mend_exception_return(address);
    if (address == m.stop_at_) {
        m.reached_stop_ = true;
        uc_emu_stop(uc);
        return;
    }
    if (++m.executed_ > m.budget_) {
        m.fail(make_error("instruction budget of {} exhausted (runaway code?) at {}", m.budget_,
                          m.describe_pc(address)));
        return;
    }
    InstructionEvent event{address, size};
    for (ExecListener* l : m.listeners_)
        l->on_instruction(event);
}

void Machine::mend_exception_return(uint64_t pc) {
    if (state_before_return_) {
        behaviour_.complete_return(*this, *state_before_return_);
        state_before_return_.reset();
    }
    const uint64_t offset = pc - image_.layout.text_base;
    if (pc >= image_.layout.text_base && offset % return_stride_ == 0 &&
        offset / return_stride_ < is_exception_return_.size() &&
        is_exception_return_[offset / return_stride_])
        state_before_return_ = behaviour_.state_before_return(*this);
}

void Machine::on_mem(uc_struct*, int type, uint64_t address, int size, int64_t value, void* self) {
    auto& m = *static_cast<Machine*>(self);
    MemoryEvent event{address, static_cast<uint32_t>(size), type == UC_MEM_WRITE,
                      static_cast<uint64_t>(value), false};
    for (ExecListener* l : m.listeners_)
        l->on_memory(event);
}

bool Machine::on_invalid(uc_struct*, int type, uint64_t address, int size, int64_t, void* self) {
    auto& m = *static_cast<Machine*>(self);
    const char* what = "access to";
    switch (type) {
    case UC_MEM_READ_UNMAPPED:
        what = "read of unmapped memory";
        break;
    case UC_MEM_WRITE_UNMAPPED:
        what = "write to unmapped memory";
        break;
    case UC_MEM_FETCH_UNMAPPED:
        what = "execution of unmapped memory";
        break;
    case UC_MEM_WRITE_PROT:
        what = "write to read-only memory";
        break;
    case UC_MEM_READ_PROT:
        what = "read of unreadable memory";
        break;
    case UC_MEM_FETCH_PROT:
        what = "execution of non-executable memory";
        break;
    }
    // A fetch fault comes from the jump that left the text: name that instruction.
    bool fetch = type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT;
    std::string by = fmt::format("{} {}", fetch ? "after" : "by", m.describe_pc(m.last_pc_));
    m.failure_ = make_error("{} at {:#x} ({} bytes) {}", what, address, size, by);
    return false;
}

void Machine::on_interrupt(uc_struct*, uint32_t number, void* self) {
    auto& m = *static_cast<Machine*>(self);
    const TrapEvent trap = m.behaviour_.decode_trap(m, number, m.last_pc_);
    if (!m.trap_handler_) {
        m.fail(make_error("unexpected trap (exception {}{}) at {}; this path models no exception",
                          number, m.behaviour_.describe_trap(trap), m.describe_pc(m.last_pc_)));
        return;
    }
    for (ExecListener* l : m.listeners_)
        l->on_trap(trap);
    if (auto ok = m.trap_handler_->deliver(m, trap); !ok) m.fail(ok.take_error());
}

Expected<void> Machine::run(uint64_t entry, uint64_t stop_at, uint64_t budget) {
    stop_at_ = stop_at;
    budget_ = budget;
    executed_ = 0;
    reached_stop_ = false;
    failure_.reset();
    for (ExecListener* l : listeners_)
        l->on_run_begin(read(isa_.sp));
    uc_err status = uc_emu_start(uc_, entry, never_reached, 0, 0);
    for (ExecListener* l : listeners_)
        l->on_run_end(reached_stop_ ? stop_at_ : 0);
    if (failure_) return *failure_;
    if (status != UC_ERR_OK)
        return make_error("{} at {}", uc_strerror(status), describe_pc(read(isa_.pc)));
    if (!reached_stop_)
        return make_error("execution stopped before the driver returned, at {}",
                          describe_pc(last_pc_));
    return {};
}

} // namespace tracesim
