// The architectures tracesim models. Everything arch-specific lives behind isa_for(Arch).
#pragma once

#include <fmt/format.h>
#include <optional>
#include <string_view>

namespace tracesim {

enum class Arch { x86_64, arm64 };

inline constexpr Arch all_arches[] = {Arch::x86_64, Arch::arm64};

constexpr std::string_view name_of(Arch arch) {
    return arch == Arch::x86_64 ? "x86_64" : "arm64";
}

inline std::optional<Arch> parse_arch(std::string_view text) {
    for (Arch arch : all_arches)
        if (text == name_of(arch)) return arch;
    if (text == "aarch64") return Arch::arm64;
    if (text == "x86-64" || text == "amd64") return Arch::x86_64;
    return std::nullopt;
}

} // namespace tracesim

// fmt 9 (Debian 12) has no format_as: enums get a formatter that prints their name.
template <> struct fmt::formatter<tracesim::Arch> : fmt::formatter<std::string_view> {
    template <class Context> auto format(tracesim::Arch arch, Context& context) const {
        return fmt::formatter<std::string_view>::format(tracesim::name_of(arch), context);
    }
};
