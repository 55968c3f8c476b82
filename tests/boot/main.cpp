// The booted-kernel tests' runner: one process per guest arch (ctest's boot_x86_64 and
// boot_arm64). They need what a boot needs (QEMU, the plugin and agent, a Debian kernel fetched
// into the cache); when something is missing the run is reported as skipped with the reason
// (exit 77, ctest's SKIP_RETURN_CODE), never as passed.
#define DOCTEST_CONFIG_IMPLEMENT
#include "tests/boot/boot_fixture.h"

#include <cstdio>
#include <cstring>
#include <doctest/doctest.h>

int main(int argc, char** argv) {
    using namespace tracesim;
    std::string arch_name;
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        if (std::strncmp(argv[i], "--boot-arch=", 12) == 0)
            arch_name = argv[i] + 12;
        else
            rest.push_back(argv[i]);
    }
    auto arch = parse_arch(arch_name);
    if (!arch) {
        std::fprintf(stderr, "usage: %s --boot-arch=x86_64|arm64 [doctest options]\n", argv[0]);
        return 2;
    }
#ifdef TRACESIM_SANITIZE
    std::printf("SKIPPED: booted tests run in the release build only (the sanitizers check the "
                "host code on tests/850's synthetic streams; QEMU's boot is the same either way)\n");
    return 77;
#endif
    std::string why = test::boot_prerequisites(*arch);
    if (!why.empty()) {
        std::printf("SKIPPED: %s\n", why.c_str());
        return 77;
    }
    doctest::Context context(static_cast<int>(rest.size()), rest.data());
    context.setOption("test-suite", fmt::format("boot-{}", *arch).c_str());
    return context.run();
}
