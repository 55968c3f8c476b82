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
    state.flags = isa.initial_flags; // non-default, so a path that loses or fakes them shows it
    return state;
}

} // namespace tracesim
