// Fuzz target: the baseline reader and the gate's comparison of it with typed records
// (results/baseline/*.json).
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
    // The current results: a typed record per baseline record, keyed as it is, so the gate
    // compares each of the baseline's values with a record's.
    Results current;
    if (const JsonValue* records = parsed->get("results"))
        for (const JsonValue& r : records->array) {
            auto text = [&](const char* key) {
                const JsonValue* v = r.get(key);
                return v && v->is(JsonValue::Kind::string) ? v->string : std::string("-");
            };
            auto arch = parse_arch(text("arch"));
            if (!arch) continue;
            Record record{*arch, text("path"), text("kernel")};
            record.handler = text("handler");
            if (text("core") != "-") record.core = text("core");
            current.records.push_back(std::move(record));
        }
    CheckReport report;
    (void)compare_with_baseline(scenario, *parsed, current, report);
    return 0;
}
