// A linked program: every object's code placed in the text region, data in the data region,
// relocations resolved, and the phase of every code byte known (from phase labels, base/phase.h).
#pragma once

#include "isa/assembler.h"
#include "sim/layout.h"
#include "base/phase.h"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tracesim {

struct PlacedSymbol {
    std::string name;
    uint64_t address;
    std::string file;
};

struct LinkOptions {
    // Undefined symbol -> the defined symbol that stands for it (e.g. the handler a path calls).
    std::map<std::string, std::string> aliases;
    // Where the image lives (an imported arm64 kernel needs the harness within BL range of it).
    MemoryLayout layout;
};

// Bytes of another binary mapped at their own addresses next to the layout's regions (an
// imported vmlinux, sim/vmlinux/). Linked images have none.
struct ForeignRegion {
    std::string name;
    uint64_t base = 0;          // page-aligned
    std::vector<uint8_t> bytes; // a whole number of pages
    bool contains(uint64_t address) const {
        return address >= base && address - base < bytes.size();
    }
};

class Image {
  public:
    Arch arch;
    MemoryLayout layout;
    std::vector<uint8_t> text;          // at layout.text_base
    std::vector<uint8_t> data;          // at layout.data_base
    std::vector<ForeignRegion> foreign; // mapped read/write/execute by Machine::create

    // Foreign code: (re)defines a global (an imported kernel's `ftrace_caller` then stands for the
    // modeled one in lookups and patches) and names its code for describe().
    void define_symbol(const std::string& name, uint64_t address, const std::string& file);
    // Foreign code from `address` on belongs to `phase` (nullopt: to none; the previous continues).
    void set_foreign_phase(uint64_t address, std::optional<Phase> phase);
    ForeignRegion* foreign_at(uint64_t address);
    const ForeignRegion* foreign_at(uint64_t address) const;

    // A global symbol, phase label or link alias ("tracer_entry_func") by name.
    std::optional<uint64_t> address_of(std::string_view symbol) const;
    std::optional<Phase> phase_at(uint64_t pc) const;
    // Address range [begin, end) of the phase that starts at `label` (e.g.
    // "phase.site.traced_func").
    std::optional<std::pair<uint64_t, uint64_t>> phase_range(std::string_view label) const;
    // "ftrace_caller+0x1c in kernels/x86_64/paths/ftrace_caller.S, phase save"
    std::string describe(uint64_t pc) const;
    bool in_text(uint64_t address) const {
        return address >= layout.text_base && address < layout.text_base + text.size();
    }

    // Assembles `assembly` at `address` (resolving against this image) and writes its bytes
    // there; it must fit in `size`. How ftrace, kprobes and optprobes patch text.
    Expected<void> patch(uint64_t address, uint64_t size, std::string_view assembly,
                         std::string_view what);

  private:
    friend Expected<Image> link(Arch, std::span<const ObjectFile>, const LinkOptions&);
    std::map<std::string, uint64_t, std::less<>> globals_;
    std::map<std::string, uint64_t, std::less<>> phase_labels_;
    std::vector<PlacedSymbol> symbols_by_address_; // functions and labels, for describe()
    std::vector<uint8_t> phase_of_byte_;           // Phase value per text byte
    std::map<uint64_t, uint8_t> foreign_phases_;   // foreign code: phase value from an address on
};

Expected<Image> link(Arch arch, std::span<const ObjectFile> objects, const LinkOptions& options);

} // namespace tracesim
