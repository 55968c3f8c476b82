// The guest's own symbol table, as /proc/kallsyms printed it on the console: the static text
// symbols once per boot and, per window, the run-time regions the kernel named only once the
// probe was armed (`ftrace_trampoline [__builtin__ftrace]`, `kprobe_insn_page
// [__builtin__kprobes]`, `bpf_prog_... [bpf]`). A booted trace needs no vmlinux: every PC is
// named from here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

struct KernelSymbol {
    uint64_t address;
    char type;          // kallsyms' letter: t T w W (text)
    std::string name;
    std::string module; // "" for the kernel's own symbols; "__builtin__ftrace", "bpf", ...
};

struct SymbolHit {
    const KernelSymbol* symbol;
    uint64_t offset; // pc - symbol address
};

// One kallsyms line: "ffffffff81000000 T _stext" or "... t ftrace_trampoline
// [__builtin__ftrace]"; nullopt if it is not one.
std::optional<KernelSymbol> parse_kallsyms_line(std::string_view line);

class KernelSymbols {
  public:
    // Adds parse_kallsyms_line(line); false if it is not a kallsyms line.
    bool add_line(std::string_view line);
    void add(KernelSymbol symbol);
    // Sorts; call once after the last add.
    void seal();

    // The symbol containing pc: the nearest at or below it, no further than `max_size` bytes
    // (kallsyms has no sizes; a run-time region's symbol covers a page).
    std::optional<SymbolHit> lookup(uint64_t pc, uint64_t max_size = 1 << 20) const;
    std::optional<uint64_t> address_of(std::string_view name) const;
    size_t size() const { return symbols_.size(); }
    const std::vector<KernelSymbol>& all() const { return symbols_; }

  private:
    std::vector<KernelSymbol> symbols_;
};

// "__x64_sys_getpid+0x4" or "ftrace_trampoline+0x20 [__builtin__ftrace]" or "0xffff..."
std::string describe(const KernelSymbols& symbols, uint64_t pc);

} // namespace tracesim
