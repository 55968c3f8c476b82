// What the per-arch importers share (sim/vmlinux/x86.cpp and x86_exceptions.cpp for x86_64,
// arm64.cpp and arm64_exceptions.cpp for arm64; vmlinux.cpp loads the image and dispatches
// through each one's ArchImporter entry):
// mapping the kernel next to the harness, finding symbols with a message naming the path that needs
// them, the image's own phase labels, and pointing function_trace_op at the harness's ops. Internal
// to sim/vmlinux.
#pragma once

#include "sim/vmlinux/vmlinux.h"

#include <span>
#include <string_view>
#include <vector>

namespace tracesim::vmlinux_detail {

// Adds the kernel's regions to `image`; an error if one overlaps the harness's own regions.
Expected<void> map_kernel(const Vmlinux& kernel, Image& image);

// The kernel's `name`, or "<file> has no symbol 'name', which path 'P' needs".
Expected<uint64_t> need(const Vmlinux& kernel, const PathSpec& path, std::string_view name);
Expected<KernelSymbol> need_symbol(const Vmlinux& kernel, const PathSpec& path,
                                   std::string_view name);

// Where `s` ends: its size, else `unknown_size` bytes on (System.map symbols, asm labels).
inline uint64_t end_of(const KernelSymbol& s, uint64_t unknown_size) {
    return s.address + (s.size ? s.size : unknown_size);
}

// Phases from tracesim's own labels in an image built from kernels/<arch>/*.S (each region's end
// ends the last); false, and nothing set, when the image has none (a real kernel's).
bool apply_phase_labels(const Vmlinux& kernel, Image& image);

// Writes the harness's `tracer_ops` into the kernel's function_trace_op.
Expected<void> set_function_trace_op(const Vmlinux& kernel, const PathSpec& path, Image& image);

// One arch's importer, which vmlinux.cpp loads images for and dispatches through: x86.cpp's
// x86_importer, arm64.cpp's arm64_importer. A path says which of the importer's mechanisms runs
// it (the catalogue's `vmlinux = { runs = ... }`); nothing outside an arch's files branches on
// the arch (docs/architecture.md, "an arch").
struct ArchImporter {
    Arch arch;
    uint16_t elf_machine; // its vmlinux's ELF e_machine
    // Where the image runs: 0 = at its link address; else displaced below this limit by the link
    // address's top 32 bits, its RELA / RELR relocations applied, as KASLR runs it (Vmlinux's
    // `displacement` says why arm64 does).
    uint64_t run_limit;
    // How far below the image the harness is linked, within branch range of its code (0: the
    // default layout reaches it).
    uint64_t harness_gap;
    bool (*knows)(std::string_view mechanism);
    // Why a path the importer runs cannot run on `kernel` ("" when it can).
    std::string (*unsupported_reason)(const Vmlinux& kernel, const Catalogue& catalogue,
                                      const PathSpec& path);
    // The era the image's code picks for `path`; "" = the one its release names. nullptr: always
    // the release's.
    std::string (*era)(const Vmlinux& kernel, const Catalogue& catalogue, std::string_view path);
    VmlinuxNote (*note)(const Vmlinux& kernel, const PathSpec& path); // nullptr: none
    Expected<void> (*attach)(const Vmlinux& kernel, const PathSpec& path, Image& image);
};
extern const ArchImporter x86_importer, arm64_importer;
const ArchImporter& importer_for(Arch arch);
std::span<const ArchImporter* const> importers();

// The first of the path's `stands_for` the kernel lacks, as "a" or "a (or b)"; "" when it has
// them all.
std::string missing_stand_in(const Vmlinux& kernel, const PathSpec& path);

// x86_64 (x86.cpp). Rewrites the rel32 references (call, jmp, rip-relative lea) in [begin, end)
// of `bytes` (mapped at `base`) that reach `from` so that they reach `to`; returns how many.
int x86_retarget(std::vector<uint8_t>& bytes, uint64_t base, uint64_t begin, uint64_t end,
                 uint64_t from, uint64_t to);
// The first `call rel32` in [begin, end) of the image's mapped code reaching one of `targets`.
std::optional<uint64_t> x86_find_call(const Image& image, uint64_t begin, uint64_t end,
                                      const std::vector<uint64_t>& targets);
// The first `pattern` in [begin, end) of the image's mapped code.
std::optional<uint64_t> find_bytes(const Image& image, uint64_t begin, uint64_t end,
                                   std::string_view pattern);

// x86_64 int3 kprobes and optprobes (x86_exceptions.cpp). The kernel's exception entry `entry`
// (found by the caller), whose call of the C handler `callee` reaches the harness's model.
Expected<void> attach_x86_trap_entry(const Vmlinux& kernel, const PathSpec& path,
                                     std::string_view entry_name, const KernelSymbol& entry,
                                     std::string_view callee, Image& image);
// The kernel's optprobe template [begin, end) copied into a detour buffer, calling `callee`.
Expected<void> attach_x86_template_copy(const Vmlinux& kernel, const PathSpec& path, uint64_t begin,
                                        uint64_t end, std::string_view callee, Image& image);

// arm64 BRK kprobes and kretprobes on the image's own EL1 exception entry (arm64_exceptions.cpp):
// the mechanisms it knows, and arm64_importer's entries for a path that runs one of them.
bool arm64_trap_mechanism(std::string_view mechanism);
std::string arm64_trap_era(const Vmlinux& kernel, const Catalogue& catalogue,
                           std::string_view path); // by the return trampoline's form
std::string arm64_trap_unsupported_reason(const Vmlinux& kernel, const Catalogue& catalogue,
                                          const PathSpec& path);
Expected<void> attach_arm64_trap(const Vmlinux& kernel, const PathSpec& path, Image& image);

} // namespace tracesim::vmlinux_detail
