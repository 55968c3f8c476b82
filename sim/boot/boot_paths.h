// The booted paths of boot/paths.toml: how the guest agent attaches each probe (plan steps)
// and which model path it stands next to; and the plan (boot/PROTOCOL.md section 2) the host
// writes for one boot.
#pragma once

#include "isa/arch.h"
#include "base/expected.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace tracesim {

struct BootPath {
    std::string name;
    std::string about;
    std::map<Arch, std::string> model; // the model path it is compared with, per arch
    // Kernels older than an era are compared with another model: {era, path}.
    std::vector<std::pair<std::string, std::string>> model_before;
    std::vector<Arch> arches;          // empty: both
    bool probe_in_body = false;        // the probe's site is inside the body, not the entry
    std::vector<std::string> setup, teardown;
    std::vector<std::string> needs_config; // config options the mechanism needs (CONFIG_...)
    std::string function; // the probed function, when not the arch's (the BPF bench's)
    std::string baseline = "none"; // the booted path per-call values are measured against
    std::string group; // "" = a default path; "bpf-bench": only when asked for by name or set
    bool on(Arch arch) const;
};

struct BootArchDefaults {
    std::string function, alias, syscall, body_probe;
};

struct BootPathCatalogue {
    std::filesystem::path file;
    std::map<Arch, BootArchDefaults> defaults;
    std::vector<BootPath> paths;
    const BootPath* find(std::string_view name) const;
};

Expected<BootPathCatalogue> load_boot_paths(const std::filesystem::path& file);

struct PlanRequest {
    Arch arch;
    std::string function; // "" = the arch's default
    std::string syscall;  // "" = the arch's default
    int calls = 20;
    bool symbols = true; // print the static symbols (not cached yet)
    std::vector<const BootPath*> paths;
};

// The plan's text. Variables ($FUNC, $ALIAS, $BODY_PROBE) are expanded; a variable with
// alternatives (`A || B`) turns its step into alternatives.
Expected<std::string> write_plan(const BootPathCatalogue& catalogue, const PlanRequest& request);

inline const std::vector<std::string> agent_syscalls = {"getpid", "getppid", "gettid",
                                                        "getuid", "getgid",  "close_bad"};

} // namespace tracesim
