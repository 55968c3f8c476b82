// What the booted-kernel source needs of the host (internal to sim/boot): where the build and
// the cache are, files read whole, a work directory, the fetch script (Debian kernels and
// busybox), QEMU's version, a kernel image's arch from its boot header.
#pragma once

#include "base/expected.h"
#include "isa/arch.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace tracesim::boot_host {

std::filesystem::path build_dir(); // $TRACESIM_BUILD, else the tree tracesim was built in
std::filesystem::path cache_dir(); // $TRACESIM_CACHE, else ~/.cache/tracesim
std::vector<uint8_t> read_bytes(const std::filesystem::path& file);

// The console's last `n` lines, each on its own indented line, for an error message.
std::string tail_text(const std::vector<std::string>& lines, size_t n = 15);

// Runs scripts/fetch-boot-kernel.sh and returns its key=value lines.
Expected<std::map<std::string, std::string>> fetch_script(const std::vector<std::string>& args,
                                                          const std::filesystem::path& work);

// A work directory, removed when it goes out of scope unless the user asked to keep it.
struct TempDir {
    std::filesystem::path path;
    bool keep = false;
    ~TempDir();
};
Expected<std::filesystem::path> make_work_dir(const std::filesystem::path& keep, TempDir& temp);

// Which arch a kernel image is for, from its boot header.
Expected<Arch> image_arch(const std::filesystem::path& file);

Expected<std::filesystem::path> busybox_for(Arch arch, const std::filesystem::path& work);
uint64_t fnv1a(const std::vector<uint8_t>& bytes);
std::string qemu_version(const std::filesystem::path& qemu, const std::filesystem::path& work);

} // namespace tracesim::boot_host
