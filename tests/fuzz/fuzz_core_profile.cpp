// Fuzz target: the core-profile loader (isa/cores/*.toml).
#include "timing/core_profile.h"
#include "tests/fuzz/fuzz_input.h"

using namespace tracesim;

int fuzz::core_profile(const uint8_t* data, size_t size) {
    // The file name is the profile's name (load_core_profile checks they agree).
    (void)load_core_profile(fuzz::as_file(data, size, "znver3.toml"));
    return 0;
}
