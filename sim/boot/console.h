// Reads what the guest agent printed on the serial console (boot/PROTOCOL.md section 3): the
// kernel's release and command line, its symbols, and per path what the kernel said (the
// run-time regions armed, kprobes' state, refusals with the kernel's reason, events written).
#pragma once

#include "sim/boot/kallsyms.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

struct ConsolePath {
    std::string name;
    std::optional<uint32_t> window; // the window index, if it ran
    bool window_closed = false;     // windowend seen
    std::string failure;            // the refusal, as one line (empty: none)
    std::vector<std::string> warnings;
    std::vector<KernelSymbol> run_time_symbols; // the `sym` lines before its window
    std::vector<std::string> kprobes;           // the `kprobe` lines
    std::optional<int64_t> hits;
};

struct ConsoleLog {
    std::string release, machine, cmdline;
    KernelSymbols symbols; // the static text symbols (empty when not printed)
    int64_t symbols_announced = -1;
    std::vector<ConsolePath> paths;
    bool done = false;
    std::string fatal;                   // the agent's or /init's fatal line
    std::string panic;                   // the kernel's "Kernel panic - ..." line, if any
    std::vector<std::string> tail;       // the last lines that are not the agent's
    const ConsolePath* find(std::string_view name) const;
};

ConsoleLog parse_console(std::string_view text);

// key=value fields of one `@@TS` line, values unquoted ("a \"b\"" -> a "b").
std::map<std::string, std::string> console_fields(std::string_view line);

} // namespace tracesim
