// Fuzz target: the System.map reader, with a raw arm64 Image (its header only).
#include "sim/vmlinux/vmlinux.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstring>

using namespace tracesim;

int fuzz::system_map(const uint8_t* data, size_t size) {
    static const std::filesystem::path image = [] {
        uint8_t header[0x40] = {};
        std::memcpy(header + 0x38, "ARM\x64", 4);
        return fuzz::as_file(header, sizeof header, "Image");
    }();
    (void)load_vmlinux(image, fuzz::as_file(data, size, "System.map"));
    return 0;
}
