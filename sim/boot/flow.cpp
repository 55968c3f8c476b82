#include "sim/boot/flow.h"

namespace tracesim {

namespace {

Flow classify_x86_64(std::span<const uint8_t> b) {
    size_t i = 0;
    auto is_legacy_prefix = [](uint8_t byte) {
        switch (byte) {
        case 0x66: case 0x67: case 0x2e: case 0x3e: case 0x26: case 0x36:
        case 0x64: case 0x65: case 0xf2: case 0xf3: case 0xf0:
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

Flow classify_arm64(std::span<const uint8_t> b) {
    if (b.size() != 4) return Flow::other;
    uint32_t w = b[0] | b[1] << 8 | b[2] << 16 | static_cast<uint32_t>(b[3]) << 24;
    if ((w & 0xfc000000u) == 0x94000000u) return Flow::call;   // bl
    if ((w & 0xfffffc1fu) == 0xd63f0000u) return Flow::call;   // blr
    if ((w & 0xfefff800u) == 0xd63f0800u) return Flow::call;   // blraa(z) / blrab(z)
    if ((w & 0xfffffc1fu) == 0xd65f0000u) return Flow::ret;    // ret
    if (w == 0xd65f0bffu || w == 0xd65f0fffu) return Flow::ret; // retaa / retab
    if (w == 0xd69f03e0u || w == 0xd69f0bffu || w == 0xd69f0fffu)
        return Flow::exception_return; // eret / eretaa / eretab
    return Flow::other;
}

} // namespace

Flow classify_flow(Arch arch, std::span<const uint8_t> bytes) {
    return arch == Arch::x86_64 ? classify_x86_64(bytes) : classify_arm64(bytes);
}

} // namespace tracesim
