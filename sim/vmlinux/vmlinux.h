// A built kernel's own code and data, read from its ELF vmlinux (and System.map), and how a path
// runs on them: the kernel's trampoline is mapped at its link address next to the modeled harness
// (driver, traced function, handlers), the fentry site is patched to call it as ftrace does, its
// ftrace_call site to call the path's handler, and function_trace_op points at the harness's ops.
//
//   auto kernel = load_vmlinux("vmlinux");
//   RunRequest request{Arch::x86_64, "ftrace"};
//   request.layout = vmlinux_layout(*kernel);
//   request.prepare_image = [&](Image& image) {
//       return attach_vmlinux(*kernel, catalogue, *spec, image);
//   };
//
// docs/real-kernel.md describes what is patched and stubbed and what differs from a booted kernel.
#pragma once

#include "sim/catalogue.h"
#include "sim/image.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tracesim {

struct KernelSymbol {
    uint64_t address = 0;
    uint64_t size = 0; // 0 when unknown (System.map)
    bool code = false;
};

struct Vmlinux {
    std::filesystem::path file;
    Arch arch = Arch::x86_64;
    std::string release; // "6.1.0-28-amd64", from linux_banner; "" when the image has none
    // Where it runs: link address - displacement. 0 on x86_64 (Unicorn runs the top 2 GiB as is);
    // on arm64 the top 32 bits of the link address, because Unicorn 2.0.1's AArch64 EL1 with the
    // MMU off faults on addresses beyond its 44-bit PA range (the image runs displaced, as KASLR
    // runs it, with .rela.dyn applied). Regions, symbols and phase labels hold run addresses.
    uint64_t displacement = 0;
    size_t relocations_applied = 0, relocations_skipped = 0; // RELA (R_AARCH64_RELATIVE) and RELR
    // It has RELA / RELR relocations (.rela.dyn / .relr.dyn, a raw Image's __rela_start /
    // __relr_start). A displaced image without them keeps link-address pointers, unmapped at run.
    bool relocatable = false;
    bool raw_image = false; // an arm64 Image without ELF headers (symbols from System.map)
    std::vector<ForeignRegion> regions; // every allocated section in the kernel half, page-aligned
    std::map<std::string, KernelSymbol, std::less<>> symbols;
    std::vector<std::pair<std::string, uint64_t>> phase_labels; // tracesim's own, in a test image

    std::optional<uint64_t> address_of(std::string_view name) const;
    bool has(std::string_view name) const { return symbols.count(name) > 0; }
};

// Reads `file` (an ELF vmlinux with a symbol table; `system_map`, when given, adds its symbols,
// for a stripped image), or a raw arm64 Image with its System.map.
Expected<Vmlinux> load_vmlinux(const std::filesystem::path& file,
                               const std::filesystem::path& system_map = {});

// Why `path` cannot run on `kernel` ("" when it can): paths with no kernel code to run, paths
// whose C models are not yet replaced by stubs, and trampolines the kernel was built without. The
// catalogue's `vmlinux` key says which mechanism runs a path; its other eras name the one to use.
std::string vmlinux_unsupported_reason(const Vmlinux& kernel, const Catalogue& catalogue,
                                       const PathSpec& path);

// The era of `path` to run on `kernel`: the newest the catalogue models that is not newer than
// the image's release (6.1.0-56-amd64 -> 6.1), else "" (the newest).
std::string vmlinux_era(const Vmlinux& kernel, const Catalogue& catalogue, std::string_view path);

// Where the harness must be linked to reach `kernel` (arm64: just below the image, within BL
// range; x86_64: the default layout). The modeled run it is compared with uses the same layout.
MemoryLayout vmlinux_layout(const Vmlinux& kernel);

// What differs between the kernel's ABI on `path` and the model's, when it matters for reading
// the numbers (arm64 6.1: ftrace_caller hands a pt_regs, not a ftrace_regs); text "" when nothing
// does. `other_regs_struct`: the handler gets a different struct than the model's regs_struct, so
// the register-struct checks (the model's offsets) do not apply to the image's run.
struct VmlinuxNote {
    std::string text;
    bool other_regs_struct = false;
};
VmlinuxNote vmlinux_note(const Vmlinux& kernel, const PathSpec& path);

// Maps the kernel into `image` (a linked harness of `path`) and patches it as described above.
Expected<void> attach_vmlinux(const Vmlinux& kernel, const Catalogue& catalogue,
                              const PathSpec& path, Image& image);

} // namespace tracesim
