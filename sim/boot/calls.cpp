#include "sim/boot/calls.h"

#include "sim/boot/guest_arch.h"

#include <optional>

namespace tracesim {

namespace {

struct Frame {
    uint64_t slot; // x86: where the call stored the return address; arm64: 0
    uint64_t ret;
};

class ShadowStack {
  public:
    explicit ShadowStack(const GuestArch& guest) : guest_(guest) {}

    // Execution arrived at pc (settles an arm64 return, whose target is only known now).
    void arrive(uint64_t pc) {
        if (pending_return_) {
            pop_to(pc);
            pending_return_ = false;
        }
    }

    // Follows one executed instruction (with its memory accesses) outside interrupts.
    void step(const BootWindow& w, const BootInstruction& insn, Flow flow) {
        if (flow == Flow::call) {
            uint64_t slot = 0;
            if (guest_.return_address_in_memory)
                for (uint32_t a = 0; a < insn.access_count; ++a)
                    if (w.accesses[insn.first_access + a].is_store)
                        slot = w.accesses[insn.first_access + a].address;
            push({slot, insn.pc + insn.size});
        } else if (flow == Flow::ret || flow == Flow::exception_return) {
            if (guest_.return_address_in_memory) {
                for (uint32_t a = 0; a < insn.access_count; ++a) {
                    const BootAccess& acc = w.accesses[insn.first_access + a];
                    if (!acc.is_store) {
                        pop_slots_up_to(acc.address);
                        break;
                    }
                }
            } else {
                pending_return_ = true; // the next pc says which frame it returned to
            }
        }
    }

    std::optional<Frame> top() const {
        if (frames_.empty()) return std::nullopt;
        return frames_.back();
    }

  private:
    void push(Frame f) {
        if (frames_.size() == 4096) frames_.erase(frames_.begin(), frames_.begin() + 2048);
        frames_.push_back(f);
    }
    void pop_slots_up_to(uint64_t address) {
        // Frames whose slot is at or below the loaded one were returned through (same stack:
        // within 16 KiB; a frame on another stack is left alone).
        while (!frames_.empty() && frames_.back().slot <= address &&
               address - frames_.back().slot < 0x4000)
            frames_.pop_back();
    }
    void pop_to(uint64_t pc) {
        for (size_t k = frames_.size(); k-- > 0 && frames_.size() - k <= 64;) {
            if (frames_[k].ret == pc) {
                frames_.resize(k);
                return;
            }
        }
        if (!frames_.empty()) frames_.pop_back();
    }

    const GuestArch& guest_;
    std::vector<Frame> frames_;
    bool pending_return_ = false;
};

bool is_vector_code(const BootRules& rules, const KernelSymbols& symbols, uint64_t pc) {
    auto hit = symbols.lookup(pc);
    if (!hit) return false;
    const std::string& name = hit->symbol->name;
    if (!rules.vector_table.empty() && name == rules.vector_table) return true;
    for (const auto* list : {&rules.async_entries, &rules.async_tables, &rules.sync_entries})
        for (const std::string& pattern : *list)
            if (symbol_matches(pattern, name)) return true;
    return false;
}

} // namespace

std::vector<BootCall> find_calls(const BootWindow& w, const KernelSymbols& symbols,
                                 const BootRules& rules, uint64_t entry) {
    std::vector<BootCall> calls;
    const GuestArch& guest = guest_arch(rules.arch);
    ShadowStack stack(guest);
    std::optional<BootCall> current;
    // Exception nesting: each entry pushes whether it was asynchronous; an exception return
    // pops. While any asynchronous entry is open, instructions belong to the interrupt.
    std::vector<bool> nesting;
    int async_open = 0;
    // An entry counts only from outside vector code: a stub's jump to the common entry, or
    // the common entry's own instructions, are the same exception.
    bool prev_in_vector = true; // the window's first instruction enters nothing

    for (uint32_t i = 0; i < w.stream.size(); ++i) {
        const BootInstruction& insn = w.stream[i];
        std::span<const uint8_t> bytes(insn.bytes.data(), insn.size);
        Flow flow = guest.classify(bytes);
        const bool in_vector = is_vector_code(rules, symbols, insn.pc);
        VectorEntry vector = VectorEntry::none;
        if (in_vector && !prev_in_vector) vector = vector_entry_at(rules, symbols, insn.pc);
        prev_in_vector = in_vector;

        if (vector != VectorEntry::none) {
            nesting.push_back(vector == VectorEntry::async);
            if (vector == VectorEntry::async) {
                ++async_open;
                if (async_open == 1 && current) ++current->interrupts_cut;
            } else if (async_open == 0 && current && !current->stream.empty()) {
                current->trapped.push_back(current->stream.back());
            }
        }
        bool in_interrupt = async_open > 0;
        if (flow == Flow::exception_return && !nesting.empty()) {
            if (nesting.back()) --async_open;
            nesting.pop_back();
        }
        if (in_interrupt) {
            if (current) ++current->interrupt_instructions;
            continue;
        }

        if (current && insn.pc == current->return_address) {
            current->complete = true;
            calls.push_back(std::move(*current));
            current.reset();
        }
        stack.arrive(insn.pc);
        if (!current && insn.pc == entry) {
            // Called: the call just pushed the frame; jumped to: the innermost live frame.
            BootCall call;
            std::optional<Frame> frame = stack.top();
            if (frame) {
                call.return_address = frame->ret;
                call.return_slot = frame->slot;
                current = std::move(call);
            }
        }
        if (current) current->stream.push_back(i);
        stack.step(w, insn, flow);
    }
    if (current) calls.push_back(std::move(*current)); // incomplete: the window ended first
    return calls;
}

} // namespace tracesim
