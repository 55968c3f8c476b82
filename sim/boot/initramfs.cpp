#include "sim/boot/initramfs.h"

#include <fmt/format.h>

namespace tracesim {

namespace {

constexpr uint32_t type_directory = 0040000, type_file = 0100000, type_symlink = 0120000,
                   type_char = 0020000;

void pad4(std::vector<uint8_t>& out) {
    while (out.size() % 4)
        out.push_back(0);
}

void append_entry(std::vector<uint8_t>& out, uint32_t inode, const std::string& name,
                  uint32_t mode, uint32_t rdev_major, uint32_t rdev_minor,
                  const std::vector<uint8_t>& data) {
    // 110-byte header of 8-digit hex fields; name and data each padded to 4 bytes.
    std::string header = fmt::format(
        "070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
        inode, mode, 0, 0, (mode & type_directory) == type_directory ? 2 : 1, 0,
        static_cast<uint32_t>(data.size()), 0, 0, rdev_major, rdev_minor,
        static_cast<uint32_t>(name.size() + 1), 0);
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), name.begin(), name.end());
    out.push_back(0);
    pad4(out);
    out.insert(out.end(), data.begin(), data.end());
    pad4(out);
}

} // namespace

void Initramfs::directory(const std::string& path, uint32_t mode) {
    entries_.push_back({path, type_directory | mode});
}

void Initramfs::file(const std::string& path, std::vector<uint8_t> content, uint32_t mode) {
    entries_.push_back({path, type_file | mode, 0, 0, std::move(content)});
}

void Initramfs::symlink(const std::string& path, const std::string& target) {
    entries_.push_back({path, type_symlink | 0777, 0, 0, {target.begin(), target.end()}});
}

void Initramfs::char_device(const std::string& path, uint32_t major, uint32_t minor,
                            uint32_t mode) {
    entries_.push_back({path, type_char | mode, major, minor});
}

std::vector<uint8_t> Initramfs::bytes() const {
    std::vector<uint8_t> out;
    uint32_t inode = 1;
    for (const Entry& e : entries_)
        append_entry(out, inode++, e.path, e.mode, e.rdev_major, e.rdev_minor, e.data);
    append_entry(out, 0, "TRAILER!!!", 0, 0, 0, {});
    return out;
}

} // namespace tracesim
