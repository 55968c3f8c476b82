#include "sim/image.h"

#include "base/input_file.h"

#include "isa/relocate.h"

#include <algorithm>

namespace tracesim {

namespace {

constexpr uint8_t no_phase = 0xff;

uint64_t align_up(uint64_t value, uint64_t align) {
    return (value + align - 1) / align * align;
}

struct Placement {
    std::vector<uint64_t> section_address; // per object section
};

} // namespace

Expected<Image> link(Arch arch, std::span<const ObjectFile> objects, const LinkOptions& options) {
    Image image;
    image.arch = arch;
    image.layout = options.layout;
    std::vector<Placement> placements(objects.size());

    // 1. Lay out: code sections into text, everything else into data.
    for (size_t o = 0; o < objects.size(); ++o) {
        for (const ObjectSection& s : objects[o].sections) {
            std::vector<uint8_t>& region = s.code ? image.text : image.data;
            uint64_t base = s.code ? image.layout.text_base : image.layout.data_base;
            uint64_t offset = align_up(region.size(), std::max<uint64_t>(s.align, 16));
            region.resize(offset);
            region.insert(region.end(), s.bytes.begin(), s.bytes.end());
            placements[o].section_address.push_back(base + offset);
        }
    }
    if (image.text.size() > image.layout.text_size)
        return make_error("the kernels' code ({} bytes) does not fit the text region",
                          image.text.size());
    if (image.data.size() > image.layout.data_size)
        return make_error("the kernels' data ({} bytes) does not fit the data region",
                          image.data.size());

    // 2. Symbols: globals must be unique; phase labels collected separately.
    std::map<std::string, std::string> defined_in;
    for (size_t o = 0; o < objects.size(); ++o) {
        for (const ObjectSymbol& sym : objects[o].symbols) {
            uint64_t address = placements[o].section_address[sym.section] + sym.offset;
            if (phase_label_name(sym.name)) {
                if (!phase_of_label(sym.name))
                    return make_error("{}: '{}' names no phase (known: caller, site, trap, save, "
                                      "dispatch, handler, restore, trap_return, hijack, body)",
                                      objects[o].file, sym.name);
                if (!objects[o].sections[sym.section].code)
                    return make_error("{}: phase label '{}' is not in a code section",
                                      objects[o].file, sym.name);
                if (!image.phase_labels_.emplace(sym.name, address).second)
                    return make_error("{}: phase label '{}' is also defined in another file",
                                      objects[o].file, sym.name);
                continue;
            }
            if (sym.global) {
                auto [it, fresh] = defined_in.emplace(sym.name, objects[o].file);
                if (!fresh)
                    return make_error("{}: symbol '{}' is already defined in {}", objects[o].file,
                                      sym.name, it->second);
                image.globals_[sym.name] = address;
            }
            if (objects[o].sections[sym.section].code && !sym.name.starts_with(".L"))
                image.symbols_by_address_.push_back({sym.name, address, objects[o].file});
        }
    }
    std::stable_sort(
        image.symbols_by_address_.begin(), image.symbols_by_address_.end(),
        [](const PlacedSymbol& a, const PlacedSymbol& b) { return a.address < b.address; });

    // Aliases resolve to the symbol they stand for, also for callers asking the image by name.
    for (const auto& [alias, target] : options.aliases)
        if (auto found = image.globals_.find(target); found != image.globals_.end())
            image.globals_.emplace(alias, found->second);

    // 3. Relocations.
    for (size_t o = 0; o < objects.size(); ++o) {
        for (const ObjectRelocation& r : objects[o].relocations) {
            uint64_t S;
            if (r.symbol_section >= 0) {
                S = placements[o].section_address[r.symbol_section] + r.symbol_offset;
            } else {
                auto alias = options.aliases.find(r.symbol);
                const std::string& name = alias != options.aliases.end() ? alias->second : r.symbol;
                auto found = image.globals_.find(name);
                // Phase labels are unique across files, so other files may name them (a kprobe's
                // address is the label of the instruction it probes).
                if (found == image.globals_.end()) found = image.phase_labels_.find(name);
                if (found == image.phase_labels_.end())
                    return make_error(
                        "{}: undefined symbol '{}'{}", first_use(objects[o].file, r.symbol), r.symbol,
                        alias != options.aliases.end() ? " (standing for '" + name + "')" : "");
                S = found->second;
            }
            const ObjectSection& section = objects[o].sections[r.section];
            uint64_t P = placements[o].section_address[r.section] + r.offset;
            std::vector<uint8_t>& region = section.code ? image.text : image.data;
            uint64_t region_base = section.code ? image.layout.text_base : image.layout.data_base;
            std::span<uint8_t> where(region.data() + (P - region_base),
                                     region.size() - (P - region_base));
            if (auto done = apply_relocation(arch, r.type, where, P, S, r.addend); !done)
                return make_error("{}: {} (against '{}')", objects[o].file, done.error().message,
                                  r.symbol);
        }
    }

    // 4. Phase of every code byte; every code section must start inside a phase.
    image.phase_of_byte_.assign(image.text.size(), no_phase);
    std::vector<std::pair<uint64_t, Phase>> starts;
    for (const auto& [name, address] : image.phase_labels_)
        starts.emplace_back(address, *phase_of_label(name));
    std::sort(starts.begin(), starts.end());
    for (size_t o = 0; o < objects.size(); ++o) {
        for (size_t s = 0; s < objects[o].sections.size(); ++s) {
            const ObjectSection& section = objects[o].sections[s];
            if (!section.code || section.bytes.empty()) continue;
            uint64_t begin = placements[o].section_address[s], end = begin + section.bytes.size();
            auto first =
                std::lower_bound(starts.begin(), starts.end(), std::make_pair(begin, Phase{}));
            if (first == starts.end() || first->first != begin)
                return make_error("{}: section {} does not start with a phase label "
                                  "(`phase.<name>.<tag>:`, docs/kernels.md)",
                                  objects[o].file, section.name);
            for (auto it = first; it != starts.end() && it->first < end; ++it) {
                uint64_t stop =
                    std::next(it) != starts.end() ? std::min(std::next(it)->first, end) : end;
                std::fill(image.phase_of_byte_.begin() + (it->first - image.layout.text_base),
                          image.phase_of_byte_.begin() + (stop - image.layout.text_base),
                          static_cast<uint8_t>(it->second));
            }
        }
    }
    return image;
}

std::optional<uint64_t> Image::address_of(std::string_view symbol) const {
    if (auto it = globals_.find(symbol); it != globals_.end()) return it->second;
    if (auto it = phase_labels_.find(symbol); it != phase_labels_.end()) return it->second;
    return std::nullopt;
}

void Image::define_symbol(const std::string& name, uint64_t address, const std::string& file) {
    globals_[name] = address;
    PlacedSymbol symbol{name, address, file};
    symbols_by_address_.insert(
        std::upper_bound(symbols_by_address_.begin(), symbols_by_address_.end(), address,
                         [](uint64_t value, const PlacedSymbol& s) { return value < s.address; }),
        symbol);
}

void Image::set_foreign_phase(uint64_t address, std::optional<Phase> phase) {
    foreign_phases_[address] = phase ? static_cast<uint8_t>(*phase) : no_phase;
}

ForeignRegion* Image::foreign_at(uint64_t address) {
    for (ForeignRegion& r : foreign)
        if (r.contains(address)) return &r;
    return nullptr;
}

const ForeignRegion* Image::foreign_at(uint64_t address) const {
    for (const ForeignRegion& r : foreign)
        if (r.contains(address)) return &r;
    return nullptr;
}

std::optional<Phase> Image::phase_at(uint64_t pc) const {
    if (!in_text(pc)) {
        auto after = foreign_phases_.upper_bound(pc);
        if (after == foreign_phases_.begin() || std::prev(after)->second == no_phase)
            return std::nullopt;
        return static_cast<Phase>(std::prev(after)->second);
    }
    uint8_t value = phase_of_byte_[pc - layout.text_base];
    if (value == no_phase) return std::nullopt;
    return static_cast<Phase>(value);
}

std::optional<std::pair<uint64_t, uint64_t>> Image::phase_range(std::string_view label) const {
    auto begin = address_of(label);
    if (!begin || !in_text(*begin)) return std::nullopt;
    uint64_t end = *begin + 1;
    uint64_t next_label = layout.text_base + text.size();
    for (const auto& [name, address] : phase_labels_)
        if (address > *begin && address < next_label) next_label = address;
    // The phase also ends where its bytes stop being that phase (a section boundary).
    while (end < next_label && phase_at(end) == phase_at(*begin))
        ++end;
    return std::make_pair(*begin, end);
}

std::string Image::describe(uint64_t pc) const {
    std::string where = fmt::format("{:#x}", pc);
    auto after =
        std::upper_bound(symbols_by_address_.begin(), symbols_by_address_.end(), pc,
                         [](uint64_t value, const PlacedSymbol& s) { return value < s.address; });
    if ((in_text(pc) || foreign_at(pc)) && after != symbols_by_address_.begin()) {
        const PlacedSymbol& sym = *std::prev(after);
        where = fmt::format("{}+{:#x} in {}", sym.name, pc - sym.address, sym.file);
    } else if (!in_text(pc) && !foreign_at(pc)) {
        where += " (outside the kernel text)";
    }
    if (auto phase = phase_at(pc)) where += fmt::format(", phase {}", *phase);
    return where;
}

Expected<void> Image::patch(uint64_t address, uint64_t size, std::string_view assembly,
                            std::string_view what) {
    auto object = assemble(arch, assembly, what);
    if (!object) return object.take_error();
    std::vector<uint8_t> code;
    for (const ObjectSection& s : object->sections) {
        if (!s.code && !s.bytes.empty())
            return make_error("{}: a patch may only contain code", what);
        if (s.code) code.insert(code.end(), s.bytes.begin(), s.bytes.end());
    }
    if (code.size() > size)
        return make_error("{}: {} bytes do not fit the {}-byte site at {}", what, code.size(), size,
                          describe(address));
    for (const ObjectRelocation& r : object->relocations) {
        uint64_t S;
        if (r.symbol_section >= 0) { // a label of the patch itself (its only section)
            S = address + r.symbol_offset;
        } else if (auto found = address_of(r.symbol)) {
            S = *found;
        } else {
            return make_error("{}: undefined symbol '{}'", what, r.symbol);
        }
        uint64_t P = address + r.offset;
        std::span<uint8_t> where(code.data() + r.offset, code.size() - r.offset);
        if (auto done = apply_relocation(arch, r.type, where, P, S, r.addend); !done)
            return make_error("{}: {}", what, done.error().message);
    }
    // Only the patch's own bytes change, as with the kernel's text_poke: an int3 or brk over the
    // first instruction of a site leaves the rest of the site as it was.
    if (ForeignRegion* region = foreign_at(address); region && !in_text(address)) {
        if (address + code.size() > region->base + region->bytes.size())
            return make_error("{}: the patch at {} runs past its region", what, describe(address));
        std::copy(code.begin(), code.end(), region->bytes.begin() + (address - region->base));
        return {};
    }
    if (!in_text(address)) return make_error("{}: {:#x} is not in any code", what, address);
    std::copy(code.begin(), code.end(), text.begin() + (address - layout.text_base));
    return {};
}

} // namespace tracesim
