// A small streaming JSON writer: two-space indentation, keys in the order written (so output is
// byte-identical run to run), strings escaped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

class JsonWriter {
  public:
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

    std::string str() const { return out_ + "\n"; }

  private:
    void before_value();
    void write_string(std::string_view text);
    void newline();
    std::string out_;
    std::vector<bool> has_items_; // per open container
    bool after_key_ = false;
};

} // namespace tracesim
