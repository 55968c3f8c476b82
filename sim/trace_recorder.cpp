#include "sim/trace_recorder.h"

#include <algorithm>

namespace tracesim {

void TraceRecorder::on_run_begin(uint64_t) {
    calls_.emplace_back();
    calls_.back().arch = image_.arch;
}

void TraceRecorder::on_instruction(const InstructionEvent& event) {
    DynamicTrace& t = calls_.back();
    TraceInstruction insn{};
    insn.pc = event.pc;
    insn.size = static_cast<uint8_t>(std::min<uint32_t>(event.size, 15));
    if (image_.in_text(event.pc)) {
        size_t offset = event.pc - image_.layout.text_base;
        size_t n = std::min<size_t>(insn.size, image_.text.size() - offset);
        std::copy_n(image_.text.begin() + offset, n, insn.bytes.begin());
    } else if (const ForeignRegion* r = image_.foreign_at(event.pc)) { // an imported vmlinux's code
        size_t offset = event.pc - r->base;
        std::copy_n(r->bytes.begin() + offset,
                    std::min<size_t>(insn.size, r->bytes.size() - offset), insn.bytes.begin());
    }
    insn.phase = image_.phase_at(event.pc).value_or(Phase::caller);
    insn.first_access = static_cast<uint32_t>(t.accesses.size());
    t.instructions.push_back(insn);
}

void TraceRecorder::on_memory(const MemoryEvent& event) {
    DynamicTrace& t = calls_.back();
    t.accesses.push_back({event.address, event.size, event.is_store, event.by_hardware});
    if (!t.instructions.empty()) ++t.instructions.back().access_count;
}

void TraceRecorder::on_run_end(uint64_t stop_pc) {
    calls_.back().next_pc = stop_pc;
}

void TraceRecorder::on_trap(const TrapEvent&) {
    DynamicTrace& t = calls_.back();
    if (!t.instructions.empty()) t.instructions.back().trapped = true;
}

} // namespace tracesim
