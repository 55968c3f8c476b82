// Fuzz target: the vmlinux (ELF) and arm64 Image importer.
#include "sim/vmlinux/vmlinux.h"
#include "tests/fuzz/fuzz_input.h"

using namespace tracesim;

int fuzz::image(const uint8_t* data, size_t size) {
    static const std::filesystem::path map = [] {
        const char text[] = "ffffffc008000000 T _text\nffffffc008010000 T ftrace_caller\n";
        return fuzz::as_file(reinterpret_cast<const uint8_t*>(text), sizeof text - 1, "System.map");
    }();
    (void)load_vmlinux(fuzz::as_file(data, size, "vmlinux"), map);
    return 0;
}
