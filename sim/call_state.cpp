#include "sim/call_state.h"

namespace tracesim {

CallState initial_call_state(const Isa& isa, const MemoryLayout& layout) {
    CallState state;
    for (size_t i = 0; i < isa.gprs.size(); ++i) {
        // 0x7ace_00NN_0000_00NN: distinct per register, never a valid address or the poison.
        uint64_t n = i + 1;
        state.registers.emplace_back(&isa.gprs[i], 0x7ace'0000'0000'0000ull | (n << 32) | n);
    }
    for (size_t a = 0; a < 3; ++a)
        for (auto& [reg, value] : state.registers)
            if (reg->name == isa.arg_regs[a]) value = traced_args[a];
    state.sp = layout.stack_top();
    // Non-default flags, so a path that loses or fakes them shows it.
    // x86_64: OF, IF, SF, ZF, AF, PF, CF and the fixed bit. arm64 EL1h: N and C; A and F masked,
    // D and I not; PAN, DIT, SSBS and TCO set (the max CPU model implements them).
    state.flags = isa.arch == Arch::x86_64 ? 0xad7 : 0xa3401145;
    return state;
}

} // namespace tracesim
