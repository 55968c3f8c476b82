// The machine state a traced call starts from: the arguments in their registers and every other
// general register holding a distinct, recognisable value, so a register the path clobbers or a
// struct field filled from the wrong register shows up.
#pragma once

#include "isa/isa.h"
#include "sim/layout.h"

#include <cstdint>
#include <vector>

namespace tracesim {

// The traced function's three arguments (a, b, c); it returns (a * b + c) ^ b.
inline constexpr uint64_t traced_args[3] = {0x1111, 0x2222, 0x3333};
inline constexpr uint64_t traced_result = (0x1111ull * 0x2222ull + 0x3333ull) ^ 0x2222ull;

struct CallState {
    std::vector<std::pair<const Register*, uint64_t>> registers; // every GPR
    uint64_t sp;
    uint64_t flags;
};

CallState initial_call_state(const Isa& isa, const MemoryLayout& layout);

} // namespace tracesim
