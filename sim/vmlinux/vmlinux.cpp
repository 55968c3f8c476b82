#include "sim/vmlinux/vmlinux.h"

#include "sim/vmlinux/attach.h"

#include "base/input_file.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <sstream>

namespace tracesim {

namespace {

constexpr uint64_t page = 0x1000;
constexpr uint64_t kernel_half = 1ull << 63; // x86_64 and arm64 kernels live above this
constexpr uint64_t max_mapped = 1ull << 30;  // sanity bound on what one image maps

using vmlinux_detail::ArchImporter;
using vmlinux_detail::importer_for;
using vmlinux_detail::importers;

std::string llvm_message(llvm::Error error) {
    std::string text;
    llvm::handleAllErrors(std::move(error),
                          [&](const llvm::ErrorInfoBase& e) { text = e.message(); });
    return text;
}

// The run address's 8 bytes at `where`, or nullptr when no region holds them.
uint8_t* mapped(Vmlinux& kernel, uint64_t where) {
    for (ForeignRegion& r : kernel.regions)
        if (r.contains(where) && r.contains(where + 7)) return r.bytes.data() + (where - r.base);
    return nullptr;
}

// A relocatable arm64 kernel is linked with --no-apply-dynamic-relocs: its absolute pointers are
// zero until __relocate_kernel applies the RELA entries at boot (and adds the offset to the
// places RELR lists, whose link-time values are in place). Both are applied here for the run
// address (offset -displacement), as that code does with the KASLR offset. `entries` are copied
// out first: in a raw Image they live in the mapped bytes themselves.
void apply_rela(std::string entries, Vmlinux& kernel) {
    for (size_t at = 0; at + 24 <= entries.size(); at += 24) {
        uint64_t offset, info;
        int64_t addend;
        std::memcpy(&offset, entries.data() + at, 8);
        std::memcpy(&info, entries.data() + at + 8, 8);
        std::memcpy(&addend, entries.data() + at + 16, 8);
        uint8_t* place =
            (info & 0xffffffff) == llvm::ELF::R_AARCH64_RELATIVE && offset >= kernel.displacement
                ? mapped(kernel, offset - kernel.displacement)
                : nullptr;
        if (!place) {
            ++kernel.relocations_skipped;
            continue;
        }
        const uint64_t value = static_cast<uint64_t>(addend) - kernel.displacement;
        std::memcpy(place, &value, 8);
        ++kernel.relocations_applied;
    }
}

void apply_relr(std::string words, Vmlinux& kernel) {
    uint64_t next = 0;
    auto relocate = [&](uint64_t link) {
        uint8_t* place =
            link >= kernel.displacement ? mapped(kernel, link - kernel.displacement) : nullptr;
        if (!place) {
            ++kernel.relocations_skipped;
            return;
        }
        uint64_t value;
        std::memcpy(&value, place, 8);
        value -= kernel.displacement;
        std::memcpy(place, &value, 8);
        ++kernel.relocations_applied;
    };
    for (size_t at = 0; at + 8 <= words.size(); at += 8) {
        uint64_t w;
        std::memcpy(&w, words.data() + at, 8);
        if ((w & 1) == 0) { // an address
            relocate(w);
            next = w + 8;
            continue;
        }
        for (int bit = 1; bit < 64; ++bit) // a bitmap of the 63 words from `next`
            if (w >> bit & 1) relocate(next + (bit - 1) * 8);
        next += 63 * 8;
    }
}

Expected<void> apply_relocations(const llvm::object::ELFObjectFileBase& elf, Vmlinux& kernel) {
    for (const llvm::object::SectionRef& s : elf.sections()) {
        auto name = s.getName();
        if (!name) {
            llvm::consumeError(name.takeError());
            continue;
        }
        if (*name != ".rela.dyn" && *name != ".relr.dyn") continue;
        kernel.relocatable = true;
        auto contents = s.getContents();
        if (!contents)
            return make_error("{}: {}: {}", kernel.file.string(), name->str(),
                              llvm_message(contents.takeError()));
        if (*name == ".rela.dyn")
            apply_rela(contents->str(), kernel);
        else
            apply_relr(contents->str(), kernel);
    }
    return {};
}

// The bytes [begin, end) of the image, between two of its symbols (a raw Image's relocations).
std::string between(Vmlinux& kernel, std::string_view begin, std::string_view end) {
    auto b = kernel.address_of(begin), e = kernel.address_of(end);
    if (!b || !e || *e <= *b) return "";
    for (const ForeignRegion& r : kernel.regions)
        if (r.contains(*b) && r.contains(*e - 1))
            return std::string(reinterpret_cast<const char*>(r.bytes.data() + (*b - r.base)),
                               *e - *b);
    return "";
}

void read_release(Vmlinux& kernel) {
    // "Linux version 6.1.0-28-amd64 (...)"
    if (auto banner = kernel.address_of("linux_banner"))
        for (const ForeignRegion& r : kernel.regions)
            if (r.contains(*banner)) {
                const char* text =
                    reinterpret_cast<const char*>(r.bytes.data() + (*banner - r.base));
                std::string line(text, strnlen(text, r.bytes.size() - (*banner - r.base)));
                std::istringstream words(line);
                std::string word, version, release;
                if (words >> word >> version >> release && version == "version")
                    kernel.release = release;
            }
}

// The harness goes the importer's harness_gap below the image's run address, no lower than the
// default layout's text; an image running lower (arm64: a link address whose low 32 bits are
// small) leaves no room for it.
Expected<void> check_room_below(const Vmlinux& kernel) {
    const uint64_t gap = importer_for(kernel.arch).harness_gap;
    if (gap == 0 || kernel.regions.empty()) return {};
    const uint64_t run = kernel.regions.front().base;
    if (run < gap + MemoryLayout{}.text_base)
        return make_error(
            "{}: runs at {:#x} (link address {:#x} - {:#x}), below {:#x}: no room for the harness, "
            "which goes {} MiB below the image",
            kernel.file.string(), run, run + kernel.displacement, kernel.displacement,
            gap + MemoryLayout{}.text_base, gap >> 20);
    return {};
}

Expected<void> read_system_map(const std::filesystem::path& file, Vmlinux& kernel);

// A raw arm64 Image (arch/arm64/boot/Image): the header (arm64 booting.rst: image_size at 0x10,
// "ARM\x64" at 0x38), no symbols: they come from System.map, the image is mapped at its `_text`
// (displaced as an ELF image is) and its RELA / RELR relocations are found by their symbols.
Expected<Vmlinux> load_raw_arm64_image(const std::filesystem::path& file, llvm::StringRef bytes,
                                       const std::filesystem::path& system_map) {
    if (bytes.size() < 64 || std::memcmp(bytes.data() + 0x38, "ARM\x64", 4) != 0)
        return make_error(
            "{}: neither an ELF vmlinux nor an arm64 Image (no \"ARM\\x64\" magic at 0x38)",
            file.string());
    if (system_map.empty())
        return make_error(
            "{}: a raw arm64 Image has no symbols: pass its System.map with --system-map",
            file.string());
    Vmlinux kernel;
    kernel.file = file;
    kernel.arch = Arch::arm64;
    kernel.raw_image = true;
    if (auto ok = read_system_map(system_map, kernel); !ok) return ok.take_error();
    auto text = kernel.address_of("_text");
    if (!text || *text < (1ull << 63))
        return make_error("{}: no kernel-half _text, where the Image is loaded",
                          system_map.string());
    kernel.displacement = *text & ~0xffffffffull;
    for (auto& [name, symbol] : kernel.symbols)
        if (symbol.address >= kernel.displacement) symbol.address -= kernel.displacement;
    uint64_t image_size;
    std::memcpy(&image_size, bytes.data() + 0x10, 8);
    image_size = std::max<uint64_t>(image_size, bytes.size());
    if (image_size <= max_mapped) image_size = (image_size + page - 1) / page * page; // no wrap
    if (image_size > max_mapped)
        return make_error("{}: image_size {:#x} is beyond {} MiB", file.string(), image_size,
                          max_mapped >> 20);
    ForeignRegion r{fmt::format("Image {:#x}", *text - kernel.displacement),
                    *text - kernel.displacement, std::vector<uint8_t>(image_size, 0)};
    std::memcpy(r.bytes.data(), bytes.data(), bytes.size());
    kernel.regions.push_back(std::move(r));
    if (auto ok = check_room_below(kernel); !ok) return ok.take_error();
    kernel.relocatable = kernel.has("__rela_start") || kernel.has("__relr_start");
    apply_rela(between(kernel, "__rela_start", "__rela_end"), kernel);
    apply_relr(between(kernel, "__relr_start", "__relr_end"), kernel);
    read_release(kernel);
    return kernel;
}

Expected<void> read_system_map(const std::filesystem::path& file, Vmlinux& kernel) {
    auto text = read_input_file(file);
    if (!text) return text.take_error();
    std::istringstream lines(*text);
    std::string line;
    for (int lineno = 1; std::getline(lines, line); ++lineno) {
        std::istringstream fields(line);
        std::string address, type, name;
        if (!(fields >> address >> type >> name) || phase_label_name(name)) continue;
        KernelSymbol s;
        const char* end = address.data() + address.size();
        auto [at, ec] = std::from_chars(address.data(), end, s.address, 16);
        if (ec != std::errc() || at != end)
            return usage_error("{}:{}: '{}' is not a 64-bit hexadecimal address", file.string(),
                               lineno, address);
        if (s.address >= kernel.displacement) s.address -= kernel.displacement;
        s.code = type == "T" || type == "t";
        kernel.symbols.emplace(name, s);
    }
    return {};
}

} // namespace

std::optional<uint64_t> Vmlinux::address_of(std::string_view name) const {
    auto it = symbols.find(name);
    if (it == symbols.end()) return std::nullopt;
    return it->second.address;
}

Expected<Vmlinux> load_vmlinux(const std::filesystem::path& file,
                               const std::filesystem::path& system_map) {
    if (std::string why = input_problem(file, max_binary_input); !why.empty())
        return usage_error("{}: {}", file.string(), why);
    note_input(file);
    auto buffer = llvm::MemoryBuffer::getFile(file.string(), /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer)
        return make_error("cannot read {}: {}", file.string(), buffer.getError().message());
    if (!(*buffer)->getBuffer().starts_with("\x7f"
                                            "ELF"))
        return load_raw_arm64_image(file, (*buffer)->getBuffer(), system_map);
    auto object = llvm::object::ObjectFile::createObjectFile((*buffer)->getMemBufferRef());
    if (!object)
        return make_error("{}: not an object file: {}", file.string(),
                          llvm_message(object.takeError()));
    auto* elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(object->get());
    if (!elf || !elf->is64Bit()) return make_error("{}: not a 64-bit ELF file", file.string());

    Vmlinux kernel;
    kernel.file = file;
    const ArchImporter* importer = nullptr;
    for (const ArchImporter* i : importers())
        if (i->elf_machine == elf->getEMachine()) importer = i;
    if (!importer)
        return make_error("{}: ELF machine {} is neither x86_64 nor arm64", file.string(),
                          elf->getEMachine());
    kernel.arch = importer->arch;

    // Allocated sections in the kernel half, merged into page-aligned regions.
    struct Section {
        uint64_t address;
        llvm::object::SectionRef ref;
        bool bss;
    };
    std::vector<Section> sections;
    for (const llvm::object::SectionRef& s : elf->sections()) {
        llvm::object::ELFSectionRef es(s);
        if (!(es.getFlags() & llvm::ELF::SHF_ALLOC) || s.getSize() == 0 ||
            s.getAddress() < kernel_half)
            continue;
        if (s.getSize() > ~uint64_t(0) - s.getAddress() - page) // would wrap past the top
            return make_error("{}: section at {:#x} of {:#x} bytes runs past the top of the "
                              "address space",
                              file.string(), s.getAddress(), s.getSize());
        sections.push_back({s.getAddress(), s, es.getType() == llvm::ELF::SHT_NOBITS});
    }
    std::sort(sections.begin(), sections.end(),
              [](const Section& a, const Section& b) { return a.address < b.address; });
    if (!sections.empty() && importer->run_limit) {
        // (arm64: Unicorn's AArch64 EL1 with the MMU off checks addresses against the CPU's PA
        // range, 44 bits: 0xffff8000... faults on fetch.) The image runs displaced, as KASLR runs
        // it, at its link address with the top 32 bits cleared (page offsets and cache indexes
        // unchanged).
        kernel.displacement = sections.front().address & ~0xffffffffull;
        const uint64_t top =
            sections.back().address + sections.back().ref.getSize() - kernel.displacement;
        if (top >= importer->run_limit)
            return make_error(
                "{}: its sections span {:#x}..{:#x}, too far apart to run below {:#x}",
                file.string(), sections.front().address, sections.back().address,
                importer->run_limit);
        for (Section& sec : sections)
            sec.address -= kernel.displacement;
    }
    uint64_t mapped = 0;
    for (const Section& s : sections) {
        uint64_t begin = s.address / page * page,
                 end = (s.address + s.ref.getSize() + page - 1) / page * page;
        if (kernel.regions.empty() ||
            begin > kernel.regions.back().base + kernel.regions.back().bytes.size()) {
            kernel.regions.push_back({fmt::format("vmlinux {:#x}", begin), begin, {}});
        }
        ForeignRegion& r = kernel.regions.back();
        if (end > r.base + r.bytes.size()) {
            mapped += end - (r.base + r.bytes.size());
            if (mapped > max_mapped)
                return make_error("{}: its allocated sections span more than {} MiB", file.string(),
                                  max_mapped >> 20);
            r.bytes.resize(end - r.base, 0);
        }
        if (s.bss) continue;
        auto contents = s.ref.getContents();
        if (!contents)
            return make_error("{}: {}", file.string(), llvm_message(contents.takeError()));
        std::memcpy(r.bytes.data() + (s.address - r.base), contents->data(), contents->size());
    }
    if (kernel.regions.empty())
        return make_error("{}: no allocated section at a kernel address (is it a vmlinux?)",
                          file.string());
    if (auto ok = check_room_below(kernel); !ok) return ok.take_error();
    // An image that runs displaced needs its pointers moved; one at its link address does not.
    if (importer->run_limit)
        if (auto ok = apply_relocations(*elf, kernel); !ok) return ok.take_error();

    // A symbol table that does not fit the file is refused before it is walked: LLVM would
    // report each of its (bogus, up to 2^59) entries as an error, one by one (the image fuzz
    // target found a 64-byte ELF that took minutes).
    for (const llvm::object::SectionRef& s : elf->sections()) {
        llvm::object::ELFSectionRef es(s);
        if (es.getType() != llvm::ELF::SHT_SYMTAB) continue;
        if (es.getOffset() > (*buffer)->getBufferSize() ||
            s.getSize() > (*buffer)->getBufferSize() - es.getOffset())
            return make_error("{}: its symbol table runs past the end of the file", file.string());
    }
    int broken_symbols = 0;
    for (const llvm::object::ELFSymbolRef& sym : elf->symbols()) {
        auto name = sym.getName();
        auto address = sym.getAddress();
        if (!name || !address) {
            std::string why = !name ? llvm_message(name.takeError()) : "";
            if (!address) {
                if (why.empty()) why = llvm_message(address.takeError());
                else llvm::consumeError(address.takeError());
            }
            if (++broken_symbols > 1000)
                return make_error("{}: more than 1000 broken symbols (the last: {})", file.string(),
                                  why);
            continue;
        }
        if (name->empty() || *address == 0) continue;
        if (*address >= kernel.displacement) *address -= kernel.displacement;
        std::string text = name->str();
        if (phase_label_name(text)) {
            kernel.phase_labels.emplace_back(text, *address);
            continue;
        }
        KernelSymbol s{*address, sym.getSize(), sym.getELFType() == llvm::ELF::STT_FUNC};
        // A global wins over a local of the same name (static functions repeat across files).
        if (sym.getBinding() == llvm::ELF::STB_GLOBAL || sym.getBinding() == llvm::ELF::STB_WEAK)
            kernel.symbols[text] = s;
        else
            kernel.symbols.emplace(text, s);
    }
    if (!system_map.empty())
        if (auto ok = read_system_map(system_map, kernel); !ok) return ok.take_error();
    if (kernel.symbols.empty())
        return make_error(
            "{}: no symbol table (stripped image? pass its System.map with --system-map)",
            file.string());

    read_release(kernel);
    return kernel;
}

namespace {

// "a, b and c"
std::string list_of(const std::vector<std::string_view>& names) {
    std::string text;
    for (size_t i = 0; i < names.size(); ++i)
        text += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + std::string(names[i]);
    return text;
}

// Why a path with no mechanism the importer runs it with is unsupported, and what it runs.
std::string needs_stubs_reason(const Catalogue& catalogue, const PathSpec& path) {
    std::vector<std::string_view> runs;
    for (const PathSpec& p : catalogue.paths)
        if (p.arch == path.arch && !p.vmlinux.runs.empty() &&
            std::find(runs.begin(), runs.end(), p.name) == runs.end())
            runs.push_back(p.name);
    return fmt::format("path '{}' needs C callees replaced by stubs (ops funcs, rethook/kprobe "
                       "handlers), which the importer does not do yet on {}; it runs {}",
                       path.name, path.arch, list_of(runs));
}

} // namespace

std::string vmlinux_unsupported_reason(const Vmlinux& kernel, const Catalogue& catalogue,
                                       const PathSpec& path) {
    if (kernel.arch != path.arch)
        return fmt::format("{} is an {} kernel", kernel.file.filename().string(), kernel.arch);
    if (!path.supported)
        return fmt::format("path '{}' is not modeled on {}: {}", path.name, path.arch, path.reason);
    if (!path.vmlinux.absent.empty())
        return fmt::format("path '{}': {}", path.name, path.vmlinux.absent);
    if (path.vmlinux.runs.empty()) return needs_stubs_reason(catalogue, path);
    const ArchImporter& importer = importer_for(path.arch);
    if (!importer.knows(path.vmlinux.runs))
        return fmt::format("path '{}' ({}) runs '{}', a mechanism the {} importer does not know",
                           path.name, path.defined_at, path.vmlinux.runs, path.arch);
    return importer.unsupported_reason(kernel, catalogue, path);
}

std::string vmlinux_era(const Vmlinux& kernel, const Catalogue& catalogue, std::string_view path) {
    const ArchImporter& importer = importer_for(kernel.arch);
    std::string era = importer.era ? importer.era(kernel, catalogue, path) : "";
    if (!era.empty() || kernel.release.empty()) return era;
    const std::string version = kernel_version(kernel.release);
    for (const PathSpec& p : catalogue.paths)
        if (p.name == path && p.arch == kernel.arch && !kernel_older(version, p.kernel) &&
            (era.empty() || kernel_older(era, p.kernel)))
            era = p.kernel;
    return era;
}

namespace vmlinux_detail {

std::span<const ArchImporter* const> importers() {
    static constexpr const ArchImporter* all[] = {&x86_importer, &arm64_importer};
    return all;
}

const ArchImporter& importer_for(Arch arch) {
    for (const ArchImporter* i : importers())
        if (i->arch == arch) return *i;
    return *importers().front(); // unreachable: every Arch has an importer (tested)
}

Expected<void> map_kernel(const Vmlinux& kernel, Image& image) {
    for (const ForeignRegion& r : kernel.regions) {
        const uint64_t end = r.base + r.bytes.size();
        const MemoryLayout& l = image.layout;
        for (auto [base, size] : {std::pair{l.text_base, l.text_size},
                                  {l.data_base, l.data_size},
                                  {l.percpu_base, l.percpu_size},
                                  {l.stack_base, l.stack_size}})
            if (r.base < base + size && base < end)
                return make_error("{}: {} overlaps the simulator's own regions",
                                  kernel.file.string(), r.name);
        image.foreign.push_back(r);
    }
    return {};
}

Expected<uint64_t> need(const Vmlinux& kernel, const PathSpec& path, std::string_view name) {
    if (auto a = kernel.address_of(name)) return *a;
    return make_error("{} has no symbol '{}', which path '{}' needs", kernel.file.string(), name,
                      path.name);
}

Expected<KernelSymbol> need_symbol(const Vmlinux& kernel, const PathSpec& path,
                                   std::string_view name) {
    auto s = kernel.symbols.find(name);
    if (s != kernel.symbols.end()) return s->second;
    return make_error("{} has no symbol '{}', which path '{}' needs", kernel.file.string(), name,
                      path.name);
}

bool apply_phase_labels(const Vmlinux& kernel, Image& image) {
    if (kernel.phase_labels.empty()) return false;
    for (const auto& [name, address] : kernel.phase_labels)
        image.set_foreign_phase(address, phase_of_label(name));
    for (const ForeignRegion& r : kernel.regions)
        image.set_foreign_phase(r.base + r.bytes.size(), std::nullopt);
    return true;
}

std::string missing_stand_in(const Vmlinux& kernel, const PathSpec& path) {
    for (std::string_view names : path.vmlinux.stands_for) {
        const auto bar = names.find('|');
        const std::string_view a = names.substr(0, bar),
                               b = bar == names.npos ? "" : names.substr(bar + 1);
        if (!kernel.has(a) && (b.empty() || !kernel.has(b)))
            return b.empty() ? std::string(a) : fmt::format("{} (or {})", a, b);
    }
    return "";
}

Expected<void> set_function_trace_op(const Vmlinux& kernel, const PathSpec& path, Image& image) {
    auto op = need(kernel, path, "function_trace_op");
    if (!op) return op.take_error();
    auto ops = image.address_of("tracer_ops");
    if (!ops) return make_error("the {} harness defines no tracer_ops", path.arch);
    ForeignRegion* data = image.foreign_at(*op);
    if (!data || *op + 8 > data->base + data->bytes.size())
        return make_error("{}: function_trace_op ({:#x}) is not in a mapped section",
                          kernel.file.string(), *op);
    std::memcpy(data->bytes.data() + (*op - data->base), &*ops, 8);
    return {};
}

} // namespace vmlinux_detail

MemoryLayout vmlinux_layout(const Vmlinux& kernel) {
    MemoryLayout l;
    const uint64_t gap = importer_for(kernel.arch).harness_gap;
    if (gap == 0 || kernel.regions.empty()) return l;
    // The harness goes `gap` below the image, within its branch range (load_vmlinux refused an
    // image with no room below it).
    if (kernel.regions.front().base < gap + l.text_base) return l; // no room: map_kernel says so
    const uint64_t base = (kernel.regions.front().base - gap) & ~0xfffffull;
    const uint64_t shift = base - l.text_base;
    l.text_base += shift, l.data_base += shift, l.percpu_base += shift, l.stack_base += shift;
    return l;
}

VmlinuxNote vmlinux_note(const Vmlinux& kernel, const PathSpec& path) {
    const ArchImporter& importer = importer_for(kernel.arch);
    return kernel.arch == path.arch && importer.note ? importer.note(kernel, path) : VmlinuxNote{};
}

Expected<void> attach_vmlinux(const Vmlinux& kernel, const Catalogue& catalogue,
                              const PathSpec& path, Image& image) {
    if (std::string reason = vmlinux_unsupported_reason(kernel, catalogue, path); !reason.empty())
        return make_error("{} on {}: {}", path.name, kernel.file.string(), reason);
    return importer_for(path.arch).attach(kernel, path, image);
}

} // namespace tracesim
