#include "sim/boot/host.h"

#include "sim/boot/guest_arch.h"
#include "sim/boot/process.h"
#include "sim/catalogue.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef TRACESIM_BUILD_DIR_DEFAULT
#define TRACESIM_BUILD_DIR_DEFAULT "build"
#endif

namespace tracesim::boot_host {

namespace fs = std::filesystem;

fs::path build_dir() {
    const char* env = std::getenv("TRACESIM_BUILD");
    return env && *env ? fs::path(env) : fs::path(TRACESIM_BUILD_DIR_DEFAULT);
}

fs::path cache_dir() {
    if (const char* env = std::getenv("TRACESIM_CACHE"); env && *env) return env;
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / ".cache" / "tracesim";
}

std::vector<uint8_t> read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string tail_text(const std::vector<std::string>& lines, size_t n) {
    std::string out;
    size_t from = lines.size() > n ? lines.size() - n : 0;
    for (size_t i = from; i < lines.size(); ++i)
        out += "\n  | " + lines[i];
    return out.empty() ? "\n  | (the console printed nothing)" : out;
}

// Runs scripts/fetch-boot-kernel.sh and returns its key=value lines.
Expected<std::map<std::string, std::string>> fetch_script(const std::vector<std::string>& args,
                                                          const fs::path& work) {
    std::vector<std::string> argv = {
        "bash", (tracesim_home() / "scripts" / "fetch-boot-kernel.sh").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    fs::path out = work / "fetch.out", err = work / "fetch.err";
    auto ran = run_process(argv, out, err, 900);
    if (!ran) return ran.take_error();
    std::string error = read_text_file(err);
    if (ran->timed_out) return make_error("fetching a Debian kernel took over 15 minutes");
    if (ran->exit_status != 0) {
        // The script's own message is its last line starting with its name.
        std::string message;
        std::istringstream lines(error);
        for (std::string line; std::getline(lines, line);)
            if (line.starts_with("fetch-boot-kernel:")) message = line;
        Error e =
            make_error("{}", message.empty() ? "fetch-boot-kernel failed: " + error : message);
        if (ran->exit_status == 2) e.exit_code = ExitCode::usage_error;
        return e;
    }
    std::map<std::string, std::string> values;
    std::istringstream lines(read_text_file(out));
    for (std::string line; std::getline(lines, line);)
        if (size_t eq = line.find('='); eq != std::string::npos)
            values[line.substr(0, eq)] = line.substr(eq + 1);
    return values;
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!keep && !path.empty()) fs::remove_all(path, ec);
}

Expected<fs::path> make_work_dir(const fs::path& keep, TempDir& temp) {
    if (!keep.empty()) {
        std::error_code ec;
        fs::create_directories(keep, ec);
        if (ec) return make_error("cannot create {}: {}", keep.string(), ec.message());
        temp.path = keep;
        temp.keep = true;
        return keep;
    }
    std::string pattern = (fs::temp_directory_path() / "tracesim-boot.XXXXXX").string();
    if (!mkdtemp(pattern.data())) return make_error("cannot create a temporary directory");
    temp.path = pattern;
    return temp.path;
}

// Which arch a kernel image is for, from its boot header.
Expected<Arch> image_arch(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return usage_error("cannot read the kernel image {}", file.string());
    std::vector<uint8_t> head(0x240, 0);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    if (in.gcount() < 0x240)
        return usage_error("{} is too short for a kernel image", file.string());
    for (const GuestArch& guest : guest_arches())
        if (std::equal(guest.header_magic.begin(), guest.header_magic.end(),
                       head.begin() + static_cast<std::ptrdiff_t>(guest.header_offset)))
            return guest.arch;
    if (head[0] == 'M' && head[1] == 'Z' && head[4] == 'z' && head[5] == 'i' && head[6] == 'm' &&
        head[7] == 'g')
        return usage_error("{} is an EFI zboot image (compressed): QEMU's -kernel cannot boot "
                           "it; give the Image inside it (make Image, not vmlinuz.efi)",
                           file.string());
    if (head[0] == 0x1f && head[1] == 0x8b)
        return usage_error("{} is gzip-compressed: give the uncompressed Image", file.string());
    if (head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F')
        return usage_error("{} is an ELF vmlinux: boot takes a bzImage or an arm64 Image "
                           "(the vmlinux is for `tracesim kernel`)",
                           file.string());
    return usage_error("{} is not a kernel image QEMU can boot (no x86 bzImage or arm64 Image "
                       "header)",
                       file.string());
}

Expected<fs::path> busybox_for(Arch arch, const fs::path& work) {
    auto values = fetch_script({"busybox", std::string(guest_arch(arch).debian_arch)}, work);
    if (!values) return values.take_error();
    fs::path path = (*values)["busybox"];
    if (path.empty() || !fs::exists(path))
        return make_error("fetch-boot-kernel gave no busybox for {}", arch);
    return path;
}

uint64_t fnv1a(const std::vector<uint8_t>& bytes) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint8_t b : bytes)
        h = (h ^ b) * 0x100000001b3ull;
    return h;
}

std::string qemu_version(const fs::path& qemu, const fs::path& work) {
    auto ran =
        run_process({qemu.string(), "--version"}, work / "qemu-version", work / "qemu-err", 30);
    if (!ran || ran->exit_status != 0) return "";
    std::string text = read_text_file(work / "qemu-version");
    std::string first = text.substr(0, text.find('\n'));
    constexpr std::string_view prefix = "QEMU emulator version ";
    return first.starts_with(prefix) ? first.substr(prefix.size()) : first;
}

} // namespace tracesim::boot_host
