// What the per-arch importers share (sim/vmlinux/x86.cpp and x86_exceptions.cpp for x86_64,
// arm64.cpp and arm64_exceptions.cpp for arm64; vmlinux.cpp loads the image and dispatches):
// mapping the kernel next to the harness, finding symbols with a message naming the path that needs
// them, the image's own phase labels, and pointing function_trace_op at the harness's ops. Internal
// to sim/vmlinux.
#pragma once

#include "sim/vmlinux/vmlinux.h"

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

// x86_64 (x86.cpp).
std::vector<std::string_view> x86_paths(); // the paths attach_x86 runs, in its table's order
std::string x86_unsupported_reason(const Vmlinux& kernel, const PathSpec& path);
Expected<void> attach_x86(const Vmlinux& kernel, const PathSpec& path, Image& image);
// Rewrites the rel32 references (call, jmp, rip-relative lea) in [begin,
// end) of `bytes` (mapped at `base`) that reach `from` so that they reach `to`; returns how many.
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

// arm64 (arm64.cpp).
std::string arm64_unsupported_reason(const Vmlinux& kernel, const PathSpec& path);
Expected<void> attach_arm64(const Vmlinux& kernel, const PathSpec& path, Image& image);
std::string arm64_era(const Vmlinux& kernel, std::string_view path);
VmlinuxNote arm64_note(const Vmlinux& kernel, const PathSpec& path);
// The paths attach_arm64 runs on the image's ftrace trampolines.
std::vector<std::string_view> arm64_ftrace_paths();

// arm64 BRK kprobes and kretprobes on the image's own EL1 exception entry (arm64_exceptions.cpp).
bool arm64_trap_path(const PathSpec& path);
std::vector<std::string_view> arm64_trap_paths(); // each once, in the table's order
std::string arm64_trap_era(const Vmlinux& kernel,
                           std::string_view path); // by the trampoline's form
std::string arm64_trap_unsupported_reason(const Vmlinux& kernel, const PathSpec& path);
Expected<void> attach_arm64_trap(const Vmlinux& kernel, const PathSpec& path, Image& image);

} // namespace tracesim::vmlinux_detail
