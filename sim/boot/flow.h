// What an executed instruction does to control flow, from its bytes alone: enough to follow
// calls and returns in a booted trace (plugin API v1 reads no registers, so the stream itself
// is all there is).
#pragma once

#include "isa/arch.h"

#include <cstdint>
#include <span>

namespace tracesim {

enum class Flow {
    other,
    call,             // x86 call (e8, ff /2), arm64 bl / blr / blraa...
    ret,              // x86 ret (c3, c2), arm64 ret / retaa / retab
    exception_return, // x86 iretq, arm64 eret / eretaa / eretab
};

Flow classify_flow(Arch arch, std::span<const uint8_t> bytes);

} // namespace tracesim
