// Synthetic booted-kernel traces for the boot tests (tests/850, tests/851): the plugin's trace
// records written as it writes them, x86_64's boot rules, a few instructions' bytes, and the
// phases of one call as the booted source splits it.
#pragma once

#include "helpers.h"
#include "sim/boot/calls.h"
#include "sim/boot/phases.h"
#include "sim/boot/rules.h"
#include "sim/boot/trace_file.h"

#include <cstring>
#include <doctest/doctest.h>
#include <map>
#include <string>
#include <vector>

namespace tracesim::test::boot {

// Writes trace records as our plugin does (boot/PROTOCOL.md section 5).
struct TraceWriter {
    std::vector<uint8_t> bytes{'T', 'S', 'T', 'R', 'A', 'C', 'E', '1'};
    uint32_t next_id = 0;
    template <class T> void put(T v) {
        uint8_t raw[sizeof(T)];
        std::memcpy(raw, &v, sizeof(T));
        bytes.insert(bytes.end(), raw, raw + sizeof(T));
    }
    void tag(char c) { bytes.push_back(static_cast<uint8_t>(c)); }
    void window(char c, uint32_t index) { tag(c), put(index); }
    // Defines and executes one instruction, with its accesses.
    void exec(uint64_t pc, std::vector<uint8_t> insn,
              std::vector<std::pair<char, uint64_t>> accesses = {}) {
        uint32_t id = next_id++;
        tag('I'), put(id), put(pc), put(static_cast<uint8_t>(insn.size()));
        bytes.insert(bytes.end(), insn.begin(), insn.end());
        tag('X'), put(id);
        for (auto [kind, address] : accesses)
            tag(kind), put(address), put(uint8_t{8});
    }
};

inline const BootRules& x86_rules() {
    static const BootRules rules = [] {
        auto r = load_boot_rules(tracesim_home() / "boot", Arch::x86_64);
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        return *r;
    }();
    return rules;
}

inline const std::vector<uint8_t> call = {0xe8, 0, 0, 0, 0}, ret = {0xc3}, nop = {0x90},
                                  push = {0x55}, pop = {0x5d}, iretq = {0x48, 0xcf},
                                  nop5 = {0x0f, 0x1f, 0x44, 0x00, 0x00};

// The phases of the one complete call of the function at 0x2000 in `bytes` (a TraceWriter's),
// as booted path `path` (its path-scoped rules apply), and what went unmapped.
struct CallPhases {
    std::vector<Phase> phases;
    std::map<std::string, int64_t> unmapped;
};
inline CallPhases phases_of_call(const std::vector<uint8_t>& bytes, const KernelSymbols& s,
                                 std::string_view path = "") {
    auto windows = parse_boot_trace(bytes);
    REQUIRE_MESSAGE(windows, (windows ? "" : windows.error().message));
    auto calls = find_calls(windows->front(), s, x86_rules(), 0x2000);
    REQUIRE(calls.size() == 1);
    REQUIRE(calls[0].complete);
    BootedCallTrace trace =
        booted_trace(windows->front(), calls[0], s, x86_rules(), 0x2000, {}, path);
    CallPhases out;
    for (const TraceInstruction& insn : trace.trace.instructions)
        out.phases.push_back(insn.phase);
    out.unmapped = trace.unmapped;
    return out;
}

inline int64_t phase_instructions(const DynamicTrace& trace, Phase phase) {
    int64_t n = 0;
    for (const TraceInstruction& insn : trace.instructions)
        n += insn.phase == phase;
    return n;
}

} // namespace tracesim::test::boot
