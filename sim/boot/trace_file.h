// Reads the trace file our QEMU plugin writes (boot/PROTOCOL.md section 5) into windows: the
// executed stream between each ARM and DISARM marker, every instruction with its bytes and the
// memory accesses it made, in execution order. Nothing is interpreted here (calls, interrupts
// and phases are sim/boot/calls.h's business).
#pragma once

#include "base/expected.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace tracesim {

struct BootAccess {
    uint64_t address;
    uint8_t size;
    bool is_store;
};

struct BootInstruction {
    uint64_t pc;
    uint8_t size;
    std::array<uint8_t, 15> bytes;
    uint32_t first_access; // index into BootWindow::accesses
    uint32_t access_count;
};

struct BootWindow {
    uint32_t index = 0;     // the agent's window number (plan order, from 0)
    bool overflowed = false; // the plugin hit its event limit: the stream ends early
    bool closed = false;     // a DISARM ended it (false: the guest stopped inside it)
    std::vector<BootInstruction> stream;
    std::vector<BootAccess> accesses;
};

// Parses a whole trace file; a malformed one is an error naming the byte offset.
Expected<std::vector<BootWindow>> read_boot_trace(const std::filesystem::path& file);
Expected<std::vector<BootWindow>> parse_boot_trace(std::span<const uint8_t> bytes);

} // namespace tracesim
