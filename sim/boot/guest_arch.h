// What the booted-kernel trace source knows of each guest architecture, as one table entry per
// arch: how QEMU boots it, how its boot image says what it is, and how its trace is read
// (plugin API v1 reads no registers, so an instruction's bytes and memory accesses are all
// there is). A new arch adds an entry in guest_arch.cpp and a boot/<arch>.toml; nothing in the
// boot code branches on the arch (docs/architecture.md, "an arch").
#pragma once

#include "isa/arch.h"

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace tracesim {

struct DynamicTrace;

enum class Flow {
    other,
    call,             // x86 call (e8, ff /2), arm64 bl / blr / blraa...
    ret,              // x86 ret (c3, c2), arm64 ret / retaa / retab
    exception_return, // x86 iretq, arm64 eret / eretaa / eretab
};

struct GuestArch {
    Arch arch;
    std::string_view debian_arch;  // Debian's name for it: the kernel and busybox packages
    std::string_view qemu_program; // the system emulator ...
    std::string_view qemu_package; // ... and the Debian package that has it
    std::vector<std::string_view> qemu_machine; // options naming the board and CPU, if any
    std::string_view console;                   // the serial console the kernel prints to
    // The guest agent's cross compiler and its package ("" when the host's compiler builds it):
    // named when the agent is missing.
    std::string_view agent_compiler, agent_compiler_package;
    // The boot image's header: these bytes at this offset say the image is for this arch.
    size_t header_offset;
    std::string_view header_magic;
    // A call stores its return address in a stack slot and a return loads it (x86), rather
    // than in a link register (arm64): the trace then says exactly which frame a return pops.
    bool return_address_in_memory;

    // What an instruction does to control flow, from its bytes alone.
    Flow (*classify)(std::span<const uint8_t> bytes);
    // The stack a call used, {entry SP, lowest address}, for the timing model's stack lines:
    // from the return slot when the arch has one, else estimated from the call's SP-based
    // accesses.
    std::pair<uint64_t, uint64_t> (*stack_range)(uint64_t return_slot, const DynamicTrace& trace);
};

const GuestArch& guest_arch(Arch arch);
std::span<const GuestArch> guest_arches();

} // namespace tracesim
