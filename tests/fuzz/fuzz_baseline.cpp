// Fuzz target: the baseline reader and the gate's comparison (results/baseline/*.json).
#include "base/json.h"
#include "sim/check.h"
#include "tests/fuzz/fuzz_input.h"

#include <string_view>

using namespace tracesim;

int fuzz::baseline(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_json(text, "baseline.json");
    if (!parsed) return 0;
    Scenario scenario;
    scenario.name = "fuzz";
    CheckReport report;
    (void)compare_with_baseline(scenario, *parsed, *parsed, report);
    return 0;
}
