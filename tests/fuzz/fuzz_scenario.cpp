// Fuzz target: the scenario loader (a user's scenarios/*.toml).
#include "sim/catalogue.h"
#include "sim/scenario.h"
#include "tests/fuzz/fuzz_input.h"

using namespace tracesim;

int fuzz::scenario(const uint8_t* data, size_t size) {
    static const Catalogue catalogue = *load_catalogue();
    static const std::vector<KnownCore> cores = *known_cores();
    (void)load_scenario(fuzz::as_file(data, size, "scenario.toml"), catalogue, cores);
    return 0;
}
