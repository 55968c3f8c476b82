// Applies one ELF relocation of an object produced by assemble() once addresses are known.
#pragma once

#include "arch.h"
#include "base/expected.h"

#include <cstdint>
#include <span>

namespace tracesim {

// `where` starts at the patched field; P is its address, S the symbol's address, A the addend.
Expected<void> apply_relocation(Arch arch, uint32_t type, std::span<uint8_t> where, uint64_t P,
                                uint64_t S, int64_t A);

} // namespace tracesim
