// What the per-arch importers share (sim/vmlinux/vmlinux.cpp for x86_64, arm64.cpp for arm64):
// mapping the kernel next to the harness, finding symbols with a message naming the path that
// needs them, and pointing function_trace_op at the harness's ops. Internal to sim/vmlinux.
#pragma once

#include "sim/vmlinux/vmlinux.h"

namespace tracesim::vmlinux_detail {

// Adds the kernel's regions to `image`; an error if one overlaps the harness's own regions.
Expected<void> map_kernel(const Vmlinux& kernel, Image& image);

// The kernel's `name`, or "<file> has no symbol 'name', which path 'P' needs".
Expected<uint64_t> need(const Vmlinux& kernel, const PathSpec& path, std::string_view name);

// Writes the harness's `tracer_ops` into the kernel's function_trace_op.
Expected<void> set_function_trace_op(const Vmlinux& kernel, const PathSpec& path, Image& image);

// arm64 (arm64.cpp).
std::string arm64_unsupported_reason(const Vmlinux& kernel, const PathSpec& path);
Expected<void> attach_arm64(const Vmlinux& kernel, const PathSpec& path, Image& image);
std::string arm64_era(const Vmlinux& kernel, std::string_view path);
VmlinuxNote arm64_note(const Vmlinux& kernel, const PathSpec& path);
// Rewrites the b / bl and adrp + add pairs in [begin, end) of `bytes` (at `base`) that reach `from`
// so that they reach `to`; returns how many.
int arm64_retarget(std::vector<uint8_t>& bytes, uint64_t base, uint64_t begin, uint64_t end, uint64_t from,
                   uint64_t to);

// arm64 BRK kprobes and kretprobes on the image's own EL1 exception entry (arm64_exceptions.cpp).
bool arm64_trap_path(const PathSpec& path);
std::string arm64_trap_era(const Vmlinux& kernel, std::string_view path); // by the trampoline's form
std::string arm64_trap_unsupported_reason(const Vmlinux& kernel, const PathSpec& path);
Expected<void> attach_arm64_trap(const Vmlinux& kernel, const PathSpec& path, Image& image);

} // namespace tracesim::vmlinux_detail
