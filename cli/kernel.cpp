// Example (a vmlinux linked from kernels/x86_64/*.S, as tests/800_vmlinux.cpp builds it):
//
//   tracesim kernel --vmlinux vmlinux --arch x86_64 --path ftrace
//
//   x86_64 ftrace: modeled (kernel 6.14) vs vmlinux (vmlinux, release unknown)
//
//   phase     instrs model  instrs vmlinux  diff  loads model  loads vmlinux  diff  stores model
//   ... save               16              16             ...
#include "cli/kernel.h"

#include "base/output.h"
#include "cli/arguments.h"
#include "report/render.h"
#include "report/vmlinux.h"
#include "sim/vmlinux/compare.h"

#include <CLI/CLI.hpp>

namespace tracesim {

void add_kernel_options(CLI::App* cmd, KernelOptions& o) {
    cmd->add_option("--vmlinux", o.vmlinux,
                    "the kernel's ELF vmlinux (with symbols), or a raw arm64 Image "
                    "with --system-map")
        ->required();
    cmd->add_option("--system-map", o.system_map,
                    "its System.map (for an image without a symbol table)");
    cmd->add_option("--arch", o.arch, "x86_64 | arm64")->capture_default_str();
    cmd->add_option("--path", o.paths,
                    "paths to run (repeatable; default: every path, the image's unsupported "
                    "ones listed with the reason)");
    cmd->add_option("--kernel", o.kernel,
                    "modeled era to compare with (default: the image's release, else newest)");
    cmd->add_option("--handler", o.handler, "handler the path calls")->capture_default_str();
    cmd->add_option("--core", o.core, "timing core profile (default: the arch's)");
    add_output_options(cmd, o.format, o.output, "text | md | json");
}

Expected<void> kernel_command(const KernelOptions& o) {
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto arch = arch_argument(o.arch);
    if (!arch) return arch.take_error();
    auto format = parse_format(o.format);
    if (!format) return format.take_error();
    if (*format != Format::text && *format != Format::markdown && *format != Format::json)
        return usage_error("kernel prints text, md or json");
    auto kernel = load_vmlinux(o.vmlinux, o.system_map);
    if (!kernel) return kernel.take_error();
    if (kernel->arch != *arch)
        return usage_error("{} is an {} kernel, not {}", o.vmlinux, kernel->arch, *arch);
    VmlinuxCompareRequest request{*arch, o.paths, o.kernel, o.handler, o.core, o.vmlinux};
    auto comparison = compare_with_vmlinux(*catalogue, *kernel, request);
    if (!comparison) return comparison.take_error();
    return emit_output(*format == Format::json
                           ? render(comparison->results(), Format::json)
                           : render_vmlinux_comparison(*comparison, *format == Format::markdown),
                       o.output);
}

} // namespace tracesim
