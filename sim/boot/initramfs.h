// Writes the guest's initramfs: an uncompressed newc cpio archive (the format the kernel
// unpacks at boot, Documentation/driver-api/early-userspace/buffer-format.rst), built in
// memory from files, directories, symlinks and device nodes. No cpio tool needed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tracesim {

class Initramfs {
  public:
    void directory(const std::string& path, uint32_t mode = 0755);
    void file(const std::string& path, std::vector<uint8_t> content, uint32_t mode = 0644);
    void symlink(const std::string& path, const std::string& target);
    void char_device(const std::string& path, uint32_t major, uint32_t minor,
                     uint32_t mode = 0600);
    // The archive, ending with the TRAILER!!! entry.
    std::vector<uint8_t> bytes() const;

  private:
    struct Entry {
        std::string path;
        uint32_t mode;
        uint32_t rdev_major = 0, rdev_minor = 0;
        std::vector<uint8_t> data;
    };
    std::vector<Entry> entries_;
};

} // namespace tracesim
