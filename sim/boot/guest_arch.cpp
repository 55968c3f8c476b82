#include "sim/boot/guest_arch.h"

#include "timing/trace.h"

#include <algorithm>

namespace tracesim {

namespace {

// The deepest a traced call's stack reaches below its entry SP, for the stack-line range.
constexpr uint64_t kCallStackSpan = 0x8000;

std::pair<uint64_t, uint64_t> below(uint64_t sp) {
    return {sp, sp > kCallStackSpan ? sp - kCallStackSpan : 0};
}

Flow classify_x86_64(std::span<const uint8_t> b) {
    size_t i = 0;
    auto is_legacy_prefix = [](uint8_t byte) {
        switch (byte) {
        case 0x66:
        case 0x67:
        case 0x2e:
        case 0x3e:
        case 0x26:
        case 0x36:
        case 0x64:
        case 0x65:
        case 0xf2:
        case 0xf3:
        case 0xf0:
            return true;
        }
        return false;
    };
    while (i < b.size() && is_legacy_prefix(b[i]))
        ++i;
    bool rex_w = false;
    if (i < b.size() && (b[i] & 0xf0) == 0x40) rex_w = (b[i++] & 0x08) != 0;
    if (i >= b.size()) return Flow::other;
    uint8_t op = b[i];
    if (op == 0xe8) return Flow::call;
    if (op == 0xff && i + 1 < b.size() && ((b[i + 1] >> 3) & 7) == 2) return Flow::call;
    if (op == 0xc3 || op == 0xc2) return Flow::ret;
    if (op == 0xcf && rex_w) return Flow::exception_return; // iretq (48 cf)
    return Flow::other;
}

// The return slot is exact: the entry SP is just above it.
std::pair<uint64_t, uint64_t> stack_range_x86_64(uint64_t return_slot, const DynamicTrace&) {
    return below(return_slot ? return_slot + 8 : 0);
}

uint32_t arm64_word(const uint8_t* b) {
    return b[0] | b[1] << 8 | b[2] << 16 | static_cast<uint32_t>(b[3]) << 24;
}

Flow classify_arm64(std::span<const uint8_t> b) {
    if (b.size() != 4) return Flow::other;
    uint32_t w = arm64_word(b.data());
    if ((w & 0xfc000000u) == 0x94000000u) return Flow::call;    // bl
    if ((w & 0xfffffc1fu) == 0xd63f0000u) return Flow::call;    // blr
    if ((w & 0xfefff800u) == 0xd63f0800u) return Flow::call;    // blraa(z) / blrab(z)
    if ((w & 0xfffffc1fu) == 0xd65f0000u) return Flow::ret;     // ret
    if (w == 0xd65f0bffu || w == 0xd65f0fffu) return Flow::ret; // retaa / retab
    if (w == 0xd69f03e0u || w == 0xd69f0bffu || w == 0xd69f0fffu)
        return Flow::exception_return; // eret / eretaa / eretab
    return Flow::other;
}

// No return slot (lr): the highest SP-based access of the call, rounded up to the 16-byte
// alignment SP keeps, estimates the entry SP.
std::pair<uint64_t, uint64_t> stack_range_arm64(uint64_t, const DynamicTrace& trace) {
    uint64_t top = 0;
    for (const TraceInstruction& insn : trace.instructions) {
        uint32_t w = arm64_word(insn.bytes.data());
        bool load_store = ((w >> 25) & 0x5) == 0x4; // op0 x1x0: the load/store class
        if (!load_store || ((w >> 5) & 31) != 31) continue;
        for (uint32_t a = 0; a < insn.access_count; ++a) {
            const TraceAccess& acc = trace.accesses[insn.first_access + a];
            top = std::max(top, (acc.address + acc.size + 15) & ~uint64_t(15));
        }
    }
    return below(top);
}

const GuestArch kGuestArches[] = {
    {
        .arch = Arch::x86_64,
        .debian_arch = "amd64",
        .qemu_program = "qemu-system-x86_64",
        .qemu_package = "qemu-system-x86",
        .qemu_machine = {},
        .console = "ttyS0",
        .agent_compiler = "",
        .agent_compiler_package = "",
        .header_offset = 0x202, // the x86 boot protocol's header signature
        .header_magic = "HdrS",
        .return_address_in_memory = true,
        .classify = classify_x86_64,
        .stack_range = stack_range_x86_64,
    },
    {
        .arch = Arch::arm64,
        .debian_arch = "arm64",
        .qemu_program = "qemu-system-aarch64",
        .qemu_package = "qemu-system-arm",
        .qemu_machine = {"-M", "virt", "-cpu", "cortex-a72"},
        .console = "ttyAMA0",
        .agent_compiler = "aarch64-linux-gnu-gcc",
        .agent_compiler_package = "gcc-aarch64-linux-gnu",
        .header_offset = 0x38, // the arm64 Image header's magic
        .header_magic = std::string_view("ARM\x64", 4),
        .return_address_in_memory = false,
        .classify = classify_arm64,
        .stack_range = stack_range_arm64,
    },
};

} // namespace

std::span<const GuestArch> guest_arches() {
    return kGuestArches;
}

const GuestArch& guest_arch(Arch arch) {
    for (const GuestArch& g : kGuestArches)
        if (g.arch == arch) return g;
    return kGuestArches[0]; // unreachable: every Arch has an entry (tested)
}

} // namespace tracesim
