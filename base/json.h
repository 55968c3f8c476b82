// JSON for tracesim's own files, read and written with llvm::json (LLVM's Support library, which
// tracesim links anyway); LLVM's headers stay in json.cpp.
//
// Writing: a streaming writer, two-space indentation, keys in the order written (so output is
// byte-identical run to run), reals with three decimals.
//
//   JsonWriter json;
//   json.begin_object().field("schema", "tracesim-results/1").key("results").begin_array();
//   ...
//   json.end_array().end_object();
//   std::string text = json.str();
//
// Reading: parse_json gives a JsonValue tree; errors name file:line:col.
#pragma once

#include "base/expected.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

class JsonWriter {
  public:
    JsonWriter();
    ~JsonWriter();
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(int64_t number);
    JsonWriter& value(bool flag);
    JsonWriter& value(double number); // three decimals: deterministic, and all a ratio needs
    JsonWriter& null();
    template <class T> JsonWriter& field(std::string_view name, const T& v) {
        return key(name).value(v);
    }

    std::string str() const; // the document and a newline

  private:
    struct Stream; // llvm::json::OStream over a string
    std::unique_ptr<Stream> stream_;
    void after_value(); // closes the attribute a key opened, once its value is complete
    void enter();       // a container begins: the value of a pending key, if any
    void leave();       // ... and ends, completing that value
};

struct JsonMember; // one key and its value (complete below)

struct JsonValue {
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    double number = 0;
    int64_t integer = 0; // exact when the number is an integer (1e3 is 1000)
    std::string string;
    std::vector<JsonValue> array;
    std::vector<JsonMember> object; // sorted by key

    const JsonValue* get(std::string_view key) const;
    bool is(Kind k) const { return kind == k; }
};

// Named first/second as a pair's are: `for (auto& [key, value] : v.object)`.
struct JsonMember {
    std::string first;
    JsonValue second;
};

// RFC 8259 JSON, read by llvm::json; a number RFC 8259 does not allow (01, +39, 1., .5, which
// llvm::json would take) and an integer beyond 64 bits are refused, not read as another value.
Expected<JsonValue> parse_json(std::string_view text, std::string_view file_name);

} // namespace tracesim
