// A small JSON reader for tracesim's own files (baselines): objects, arrays, strings, integers,
// numbers, booleans, null. Errors name the line and column.
#pragma once

#include "base/expected.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tracesim {

struct JsonMember; // one key and its value, in file order (complete below)

struct JsonValue {
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    double number = 0;
    int64_t integer = 0; // exact when the number was written without fraction or exponent
    std::string string;
    std::vector<JsonValue> array;
    std::vector<JsonMember> object; // in file order

    const JsonValue* get(std::string_view key) const;
    bool is(Kind k) const { return kind == k; }
};

// Named first/second as a pair's are: `for (auto& [key, value] : v.object)` reads as before.
struct JsonMember {
    std::string first;
    JsonValue second;
};

Expected<JsonValue> parse_json(std::string_view text, std::string_view file_name);

} // namespace tracesim
