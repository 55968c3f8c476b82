#include "sim/boot/kallsyms.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace tracesim {

std::optional<KernelSymbol> parse_kallsyms_line(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
        line.remove_suffix(1);
    size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space > 16) return std::nullopt;
    uint64_t address = 0;
    auto [end, ec] = std::from_chars(line.data(), line.data() + space, address, 16);
    if (ec != std::errc() || end != line.data() + space) return std::nullopt;
    if (line.size() < space + 4 || line[space + 2] != ' ') return std::nullopt;
    char type = line[space + 1];
    std::string_view rest = line.substr(space + 3);
    std::string_view module;
    size_t tab = rest.find_first_of(" \t");
    std::string_view name = rest.substr(0, tab);
    if (tab != std::string_view::npos) {
        std::string_view tail = rest.substr(tab);
        size_t open = tail.find('['), close = tail.rfind(']');
        if (open != std::string_view::npos && close != std::string_view::npos && close > open)
            module = tail.substr(open + 1, close - open - 1);
    }
    if (name.empty()) return std::nullopt;
    return KernelSymbol{address, type, std::string(name), std::string(module)};
}

bool KernelSymbols::add_line(std::string_view line) {
    auto symbol = parse_kallsyms_line(line);
    if (symbol) add(std::move(*symbol));
    return symbol.has_value();
}

void KernelSymbols::add(KernelSymbol symbol) {
    symbols_.push_back(std::move(symbol));
}

void KernelSymbols::seal() {
    // Stable by address; among aliases at one address the first printed wins, as kallsyms
    // lookups do (e.g. __x64_sys_getpid before __do_sys_getpid on 7.x, where they share it).
    std::stable_sort(symbols_.begin(), symbols_.end(),
                     [](const KernelSymbol& a, const KernelSymbol& b) {
                         return a.address < b.address;
                     });
}

std::optional<SymbolHit> KernelSymbols::lookup(uint64_t pc, uint64_t max_size) const {
    auto it = std::upper_bound(symbols_.begin(), symbols_.end(), pc,
                               [](uint64_t value, const KernelSymbol& s) {
                                   return value < s.address;
                               });
    if (it == symbols_.begin()) return std::nullopt;
    --it;
    // The first of several aliases at that address.
    while (it != symbols_.begin() && std::prev(it)->address == it->address) --it;
    if (pc - it->address > max_size) return std::nullopt;
    return SymbolHit{&*it, pc - it->address};
}

std::optional<uint64_t> KernelSymbols::address_of(std::string_view name) const {
    for (const KernelSymbol& s : symbols_)
        if (s.name == name) return s.address;
    return std::nullopt;
}

std::string describe(const KernelSymbols& symbols, uint64_t pc) {
    auto hit = symbols.lookup(pc);
    if (!hit) return fmt::format("{:#x}", pc);
    std::string text = hit->offset ? fmt::format("{}+{:#x}", hit->symbol->name, hit->offset)
                                   : hit->symbol->name;
    if (!hit->symbol->module.empty()) text += " [" + hit->symbol->module + "]";
    return text;
}

} // namespace tracesim
