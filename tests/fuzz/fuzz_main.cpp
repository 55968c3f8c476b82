// The one libFuzzer binary (one link instead of seven): TRACESIM_FUZZ_TARGET names the parser
// each run fuzzes (tests/fuzz/run.sh sets it).
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

using namespace tracesim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using Target = int (*)(const uint8_t*, size_t);
    static const Target target = [] {
        static const std::map<std::string, Target> targets = {
            {"scenario", fuzz::scenario},     {"catalogue", fuzz::catalogue},
            {"core_profile", fuzz::core_profile}, {"baseline", fuzz::baseline},
            {"system_map", fuzz::system_map}, {"image", fuzz::image},
            {"assembler", fuzz::assembler}};
        const char* name = std::getenv("TRACESIM_FUZZ_TARGET");
        auto it = targets.find(name ? name : "");
        if (it == targets.end()) {
            std::fprintf(stderr, "tracesim_fuzz: set TRACESIM_FUZZ_TARGET to one of scenario "
                                 "catalogue core_profile baseline system_map image assembler\n");
            std::exit(2);
        }
        return it->second;
    }();
    return target(data, size);
}
