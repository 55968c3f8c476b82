// The arm64 instructions the importer reads and rewrites in an image (arm64.cpp,
// arm64_exceptions.cpp): words at run addresses, b / bl targets, and the retargeting of b / bl and
// adrp + add. Internal to sim/vmlinux.
#pragma once

#include "sim/vmlinux/attach.h"

namespace tracesim::vmlinux_detail {

constexpr uint32_t arm64_nop = 0xd503201f;
constexpr uint32_t arm64_mov_x0_sp = 0x910003e0; // the pt_regs / saved frame argument

// The word at `pc`: as loaded (the kernel's regions), or as patched (the image's mapped copy,
// writable); none when no region holds all 4 bytes.
std::optional<uint32_t> word_at(const Vmlinux& kernel, uint64_t pc);
uint32_t* word_at(Image& image, uint64_t pc);

// The target of the b / bl at `pc` (word `w`), if it is one.
std::optional<uint64_t> arm64_branch_target(uint32_t w, uint64_t pc);
inline bool arm64_is_bl(uint32_t w) {
    return (w & 0xfc000000u) == 0x94000000u;
}

// The first pc in [begin, end) of `code` (a Vmlinux or an Image) whose word `match(pc, word)`
// accepts; none past the first unmapped word.
template <class Code, class Match>
std::optional<uint64_t> find_word_if(Code& code, uint64_t begin, uint64_t end, Match match) {
    for (uint64_t pc = begin; pc + 4 <= end; pc += 4) {
        auto w = word_at(code, pc);
        if (!w) return std::nullopt;
        if (match(pc, *w)) return pc;
    }
    return std::nullopt;
}

template <class Code>
std::optional<uint64_t> find_word(Code& code, uint64_t begin, uint64_t end, uint32_t word) {
    return find_word_if(code, begin, end, [word](uint64_t, uint32_t w) { return w == word; });
}

// The first `bl` in [begin, end) reaching `target`.
template <class Code>
std::optional<uint64_t> find_call(Code& code, uint64_t begin, uint64_t end, uint64_t target) {
    return find_word_if(code, begin, end, [target](uint64_t pc, uint32_t w) {
        return arm64_is_bl(w) && arm64_branch_target(w, pc) == target;
    });
}

// Rewrites, in [begin, end) of `bytes` (mapped at `base`), the b / bl and the adrp + add pairs
// that reach `from` so that they reach `to` (those in range of it); returns how many.
int arm64_retarget(std::vector<uint8_t>& bytes, uint64_t base, uint64_t begin, uint64_t end,
                   uint64_t from, uint64_t to);

} // namespace tracesim::vmlinux_detail
