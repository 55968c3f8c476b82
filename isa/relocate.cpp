#include "relocate.h"

#include <cstring>

namespace tracesim {

namespace {

// ELF relocation numbers (System V x86-64 psABI; ELF for the Arm 64-bit Architecture).
enum : uint32_t {
    R_X86_64_64 = 1,
    R_X86_64_PC32 = 2,
    R_X86_64_PLT32 = 4,
    R_X86_64_32 = 10,
    R_X86_64_32S = 11,
    R_AARCH64_ABS64 = 257,
    R_AARCH64_PREL32 = 261,
    R_AARCH64_MOVW_UABS_G0 = 263,
    R_AARCH64_MOVW_UABS_G0_NC = 264,
    R_AARCH64_MOVW_UABS_G1 = 265,
    R_AARCH64_MOVW_UABS_G1_NC = 266,
    R_AARCH64_MOVW_UABS_G2 = 267,
    R_AARCH64_MOVW_UABS_G2_NC = 268,
    R_AARCH64_MOVW_UABS_G3 = 269,
    R_AARCH64_LD_PREL_LO19 = 273,
    R_AARCH64_ADR_PREL_LO21 = 274,
    R_AARCH64_ADR_PREL_PG_HI21 = 275,
    R_AARCH64_ADD_ABS_LO12_NC = 277,
    R_AARCH64_LDST8_ABS_LO12_NC = 278,
    R_AARCH64_TSTBR14 = 279,
    R_AARCH64_CONDBR19 = 280,
    R_AARCH64_JUMP26 = 282,
    R_AARCH64_CALL26 = 283,
    R_AARCH64_LDST16_ABS_LO12_NC = 284,
    R_AARCH64_LDST32_ABS_LO12_NC = 285,
    R_AARCH64_LDST64_ABS_LO12_NC = 286,
    R_AARCH64_LDST128_ABS_LO12_NC = 299,
};

template <class T> void store(std::span<uint8_t> where, T value) {
    std::memcpy(where.data(), &value, sizeof value);
}

uint32_t load32(std::span<uint8_t> where) {
    uint32_t value;
    std::memcpy(&value, where.data(), 4);
    return value;
}

bool fits_signed(int64_t value, int bits) {
    return value >= -(int64_t(1) << (bits - 1)) && value < (int64_t(1) << (bits - 1));
}

Expected<void> out_of_range(uint32_t type, int64_t value) {
    return make_error("relocation type {} out of range (value {:#x})", type, value);
}

Expected<void> apply_x86_64(uint32_t type, std::span<uint8_t> where, uint64_t P, uint64_t S,
                            int64_t A) {
    switch (type) {
    case R_X86_64_64:
        store<uint64_t>(where, S + A);
        return {};
    case R_X86_64_PC32:
    case R_X86_64_PLT32: {
        int64_t value = static_cast<int64_t>(S + A - P);
        if (!fits_signed(value, 32)) return out_of_range(type, value);
        store<int32_t>(where, static_cast<int32_t>(value));
        return {};
    }
    case R_X86_64_32:
        if ((S + A) >> 32) return out_of_range(type, static_cast<int64_t>(S + A));
        store<uint32_t>(where, static_cast<uint32_t>(S + A));
        return {};
    case R_X86_64_32S: {
        int64_t value = static_cast<int64_t>(S + A);
        if (!fits_signed(value, 32)) return out_of_range(type, value);
        store<int32_t>(where, static_cast<int32_t>(value));
        return {};
    }
    }
    return make_error("unsupported x86_64 relocation type {}", type);
}

Expected<void> apply_arm64(uint32_t type, std::span<uint8_t> where, uint64_t P, uint64_t S,
                           int64_t A) {
    const uint64_t value = S + A;
    const int64_t relative = static_cast<int64_t>(value - P);
    auto patch = [&](uint32_t clear_mask, uint32_t bits) {
        store<uint32_t>(where, (load32(where) & ~clear_mask) | bits);
    };
    auto adr_imm = [&](int64_t imm) {
        uint32_t lo = static_cast<uint32_t>(imm) & 3,
                 hi = (static_cast<uint32_t>(imm >> 2)) & 0x7ffff;
        patch(0x60ffffe0u, (lo << 29) | (hi << 5));
    };
    auto lo12 = [&](int shift) {
        patch(0xfffu << 10, static_cast<uint32_t>(((value & 0xfff) >> shift) << 10));
    };
    auto movw = [&](int group) {
        patch(0xffffu << 5, static_cast<uint32_t>((value >> (16 * group)) & 0xffff) << 5);
    };
    switch (type) {
    case R_AARCH64_ABS64:
        store<uint64_t>(where, value);
        return {};
    case R_AARCH64_PREL32:
        if (!fits_signed(relative, 32)) return out_of_range(type, relative);
        store<int32_t>(where, static_cast<int32_t>(relative));
        return {};
    case R_AARCH64_MOVW_UABS_G0:
    case R_AARCH64_MOVW_UABS_G0_NC:
        movw(0);
        return {};
    case R_AARCH64_MOVW_UABS_G1:
    case R_AARCH64_MOVW_UABS_G1_NC:
        movw(1);
        return {};
    case R_AARCH64_MOVW_UABS_G2:
    case R_AARCH64_MOVW_UABS_G2_NC:
        movw(2);
        return {};
    case R_AARCH64_MOVW_UABS_G3:
        movw(3);
        return {};
    case R_AARCH64_LD_PREL_LO19:
    case R_AARCH64_CONDBR19:
        if (!fits_signed(relative, 21)) return out_of_range(type, relative);
        patch(0x7ffffu << 5, (static_cast<uint32_t>(relative >> 2) & 0x7ffff) << 5);
        return {};
    case R_AARCH64_TSTBR14:
        if (!fits_signed(relative, 16)) return out_of_range(type, relative);
        patch(0x3fffu << 5, (static_cast<uint32_t>(relative >> 2) & 0x3fff) << 5);
        return {};
    case R_AARCH64_ADR_PREL_LO21:
        if (!fits_signed(relative, 21)) return out_of_range(type, relative);
        adr_imm(relative);
        return {};
    case R_AARCH64_ADR_PREL_PG_HI21: {
        int64_t pages = static_cast<int64_t>((value & ~0xfffull) - (P & ~0xfffull)) >> 12;
        if (!fits_signed(pages, 21)) return out_of_range(type, pages);
        adr_imm(pages);
        return {};
    }
    case R_AARCH64_ADD_ABS_LO12_NC:
    case R_AARCH64_LDST8_ABS_LO12_NC:
        lo12(0);
        return {};
    case R_AARCH64_LDST16_ABS_LO12_NC:
        lo12(1);
        return {};
    case R_AARCH64_LDST32_ABS_LO12_NC:
        lo12(2);
        return {};
    case R_AARCH64_LDST64_ABS_LO12_NC:
        lo12(3);
        return {};
    case R_AARCH64_LDST128_ABS_LO12_NC:
        lo12(4);
        return {};
    case R_AARCH64_JUMP26:
    case R_AARCH64_CALL26:
        if (!fits_signed(relative, 28)) return out_of_range(type, relative);
        patch(0x03ffffffu, static_cast<uint32_t>(relative >> 2) & 0x03ffffffu);
        return {};
    }
    return make_error("unsupported arm64 relocation type {}", type);
}

} // namespace

Expected<void> apply_relocation(Arch arch, uint32_t type, std::span<uint8_t> where, uint64_t P,
                                uint64_t S, int64_t A) {
    size_t need = (type == R_X86_64_64 || type == R_AARCH64_ABS64) ? 8 : 4;
    if (where.size() < need) return make_error("relocation type {} runs past its section", type);
    return arch == Arch::x86_64 ? apply_x86_64(type, where, P, S, A)
                                : apply_arm64(type, where, P, S, A);
}

} // namespace tracesim
