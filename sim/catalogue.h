// The path catalogue (kernels/paths.toml): every way tracesim can hook a function, per arch and
// kernel era, as data. A new path is assembly plus one [[path]] entry here, never C++.
#pragma once

#include "isa/arch.h"
#include "base/expected.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tracesim {

struct PathSpec {
    std::string name; // the CLI's name: "ftrace", "ftrace-regs", ...
    Arch arch;
    std::string kernel; // the era modeled: "6.14", "6.1"
    bool supported = true;
    std::string reason; // why not, when !supported
    std::string summary;
    std::string entry;            // entry mechanism, in words
    std::string exit;             // exit mechanism, in words ("" = none)
    std::string regs_struct;      // what the entry handler is given: a struct of isa/, or "none"
    std::string exit_regs_struct; // what the exit handler is given; "" = the path has no exit
    std::string models;           // kernel file(s) and version followed
    std::vector<std::string> sources; // kernels/<arch>/ files beyond the common ones
    std::string site;                 // assembly written over the call site ("" = leave the NOPs)
    std::string site_at;              // the phase label of the site to patch
    // What the traced call returns with the path attached, when the path overrides the
    // function's own value (an fmod_ret program); unset: the untraced call's value.
    std::optional<uint64_t> returns;
    // How `tracesim kernel` runs the path on a built kernel's own code (its `vmlinux` key;
    // docs/real-kernel.md): with one of its arch importer's mechanisms, or not at all, and why.
    struct VmlinuxRun {
        std::string runs; // the mechanism ("" = the importer does not run the path)
        // Kernel functions the path's C models stand for: not run, but an image without them was
        // built without the path. "a|b": either name (the kernel renamed it).
        std::vector<std::string> stands_for;
        std::string absent; // why no vmlinux holds code of the path ("" = one may)
        // arm64 BRK kretprobes: the era's kprobe simulates the entry NOP (simulate_nop, 6.13+)
        // rather than stepping it; an image with or without simulate_nop picks the era.
        bool simulates_nop = false;
    } vmlinux;
    std::string defined_at; // "kernels/x86_64/paths.toml:12", for messages
};

// A tracer's handler pair. The trampolines call `tracer_entry_func` and `tracer_exit_func`; at
// link time they become `<symbol>__<regs_struct>` if the arch defines it, else `<symbol>`.
struct HandlerSpec {
    std::string name;          // "read-args"
    std::string entry_symbol;  // "handler_read_args"
    std::string exit_symbol;   // "handler_empty"
    bool records_args = false; // the entry handler stores the 3 arguments at handler_seen[0..2]
    bool records_ret = false;  // the exit handler stores the return value at handler_seen[3]
    std::string summary;
};

struct Catalogue {
    std::filesystem::path kernels_dir;
    std::map<Arch, std::vector<std::string>> common_sources;
    std::vector<PathSpec> paths;
    std::vector<HandlerSpec> handlers;

    // kernel empty: the newest era of that path on that arch.
    Expected<const PathSpec*> find_path(std::string_view name, Arch arch,
                                        std::string_view kernel) const;
    Expected<const HandlerSpec*> find_handler(std::string_view name) const;
    bool has_path(std::string_view name, Arch arch) const;
    std::vector<std::string> path_names() const; // distinct, in catalogue order
};

// Where a source file of the catalogue lives: kernels/<arch>/ holds harness/ (the driver, the
// traced function, the handlers, the data every path shares), paths/ (the path models), bench/
// (the BPF bench's trig-* paths) and macros/ (.inc files that files of several folders include,
// as the kernel shares its macros). A name is looked up in harness/, paths/ and bench/ in that
// order; a name with a '/' is relative to kernels/<arch>/. Found nowhere: paths/<name>, so the
// read error names where it would be.
std::filesystem::path kernel_source(const std::filesystem::path& kernels_dir, Arch arch,
                                    const std::string& name);

// Where `.include` looks after the including file's own folder: kernels/<arch>/macros.
std::vector<std::string> kernel_include_dirs(const std::filesystem::path& kernels_dir, Arch arch);

// Reads `kernels_dir`/paths.toml (handlers, per-arch common sources, arch-neutral paths) and then
// `kernels_dir`/<arch>/paths.toml for every arch that has one.
Expected<Catalogue> load_catalogue(const std::filesystem::path& kernels_dir);
// The shipped catalogue: tracesim_home()/kernels.
Expected<Catalogue> load_catalogue();

// "6.14" < "6.1"? No: compares numerically, so 6.1 < 6.2 < 6.14.
bool kernel_older(std::string_view a, std::string_view b);

// A release's major.minor, the form eras are written in: "6.12.118+deb13-cloud-amd64" -> "6.12".
std::string kernel_version(std::string_view release);

// Where kernels/, isa/cores/ and scenarios/ live: $TRACESIM_HOME or the source tree built from.
std::filesystem::path tracesim_home();

} // namespace tracesim
