// Phases: where an instruction's cost is attributed. Marked in the assembly, never in C++:
// a label `phase.<name>.<anything>:` starts phase <name> at that address; it lasts until the
// next phase label (or the end of the section). Underscores in <name> stand for dashes
// (`phase.trap_return.x` is phase "trap-return"). Every code section must start with one.
#pragma once

#include <array>
#include <cstdint>
#include <fmt/format.h>
#include <optional>
#include <string_view>

namespace tracesim {

enum class Phase : uint8_t {
    caller,      // the driver that calls the traced function (identical on every path)
    site,        // the patched call site (fentry NOP / call / int3 / jmp)
    trap,        // hardware exception entry, performed by the simulator (modeled)
    save,        // building the register struct
    dispatch,    // between the trampoline and the handler (ops lookup, recursion guards)
    handler,     // the tracer's handler
    restore,     // reloading registers, dropping the frame
    trap_return, // iretq / eret and what prepares them
    hijack,      // return-address replacement and the return trampoline's glue
    body,        // the traced function itself
    unmapped,    // booted kernels only: code no rule of boot/<arch>.toml names (docs/boot.md)
};

// In the order a traced call goes through them; reports use this order.
inline constexpr std::array<Phase, 11> all_phases = {
    Phase::caller,  Phase::site,    Phase::trap,        Phase::save,   Phase::dispatch,
    Phase::handler, Phase::restore, Phase::trap_return, Phase::hijack, Phase::body,
    Phase::unmapped,
};

inline constexpr size_t phase_count = all_phases.size();

constexpr std::string_view name_of(Phase phase) {
    switch (phase) {
    case Phase::caller:
        return "caller";
    case Phase::site:
        return "site";
    case Phase::trap:
        return "trap";
    case Phase::save:
        return "save";
    case Phase::dispatch:
        return "dispatch";
    case Phase::handler:
        return "handler";
    case Phase::restore:
        return "restore";
    case Phase::trap_return:
        return "trap-return";
    case Phase::hijack:
        return "hijack";
    case Phase::body:
        return "body";
    case Phase::unmapped:
        return "unmapped";
    }
    return "?";
}

inline std::optional<Phase> parse_phase(std::string_view text) {
    for (Phase phase : all_phases)
        if (name_of(phase) == text) return phase;
    return std::nullopt;
}

// "phase.save.ftrace_caller" -> "save"; nullopt when the symbol is not a phase label.
std::optional<std::string_view> phase_label_name(std::string_view symbol);
// The phase a label starts ("phase.trap_return.x" -> Phase::trap_return); nullopt if it names none.
std::optional<Phase> phase_of_label(std::string_view symbol);

} // namespace tracesim

template <> struct fmt::formatter<tracesim::Phase> : fmt::formatter<std::string_view> {
    template <class Context> auto format(tracesim::Phase phase, Context& context) const {
        return fmt::formatter<std::string_view>::format(tracesim::name_of(phase), context);
    }
};
