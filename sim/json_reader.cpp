#include "sim/json_reader.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace tracesim {

const JsonValue* JsonValue::get(std::string_view key) const {
    for (const auto& [k, v] : object)
        if (k == key) return &v;
    return nullptr;
}

namespace {

class Parser {
  public:
    Parser(std::string_view text, std::string_view file) : text_(text), file_(file) {}

    Expected<JsonValue> document() {
        auto value = parse_value(0);
        if (!value) return value;
        skip_space();
        if (pos_ != text_.size()) return fail("trailing characters after the JSON value");
        return value;
    }

  private:
    Error fail(std::string_view what) const {
        size_t line = 1, column = 1;
        for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
            if (text_[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return make_error("{}:{}:{}: {}", file_, line, column, what);
    }

    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
    }

    bool consume(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    Expected<std::string> parse_string() {
        std::string out;
        ++pos_; // opening quote
        while (pos_ < text_.size() && text_[pos_] != '"') {
            char c = text_[pos_++];
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= text_.size()) break;
            char e = text_[pos_++];
            switch (e) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                if (pos_ + 4 > text_.size()) return fail("truncated \\u escape");
                unsigned code =
                    std::strtoul(std::string(text_.substr(pos_, 4)).c_str(), nullptr, 16);
                pos_ += 4;
                if (code < 0x80)
                    out += static_cast<char>(code);
                else
                    return fail("non-ASCII \\u escapes are not used by tracesim");
                break;
            }
            default:
                out += e;
            }
        }
        if (pos_ >= text_.size()) return fail("unterminated string");
        ++pos_;
        return out;
    }

    Expected<JsonValue> parse_value(int depth) {
        if (depth > 64) return fail("nested too deep");
        skip_space();
        if (pos_ >= text_.size()) return fail("unexpected end of input");
        JsonValue v;
        char c = text_[pos_];
        if (c == '{' || c == '[') {
            bool object = c == '{';
            v.kind = object ? JsonValue::Kind::object : JsonValue::Kind::array;
            ++pos_;
            skip_space();
            char close = object ? '}' : ']';
            if (pos_ < text_.size() && text_[pos_] == close) {
                ++pos_;
                return v;
            }
            while (true) {
                std::string key;
                if (object) {
                    skip_space();
                    if (pos_ >= text_.size() || text_[pos_] != '"')
                        return fail("expected a key string");
                    auto k = parse_string();
                    if (!k) return k.take_error();
                    key = *k;
                    skip_space();
                    if (!consume(":")) return fail("expected ':'");
                }
                auto item = parse_value(depth + 1);
                if (!item) return item;
                if (object)
                    v.object.push_back(JsonMember{std::move(key), std::move(*item)});
                else
                    v.array.push_back(std::move(*item));
                skip_space();
                if (consume(",")) continue;
                if (pos_ < text_.size() && text_[pos_] == close) {
                    ++pos_;
                    return v;
                }
                return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
            }
        }
        if (c == '"') {
            auto s = parse_string();
            if (!s) return s.take_error();
            v.kind = JsonValue::Kind::string;
            v.string = std::move(*s);
            return v;
        }
        if (consume("true") || consume("false")) {
            v.kind = JsonValue::Kind::boolean;
            v.boolean = text_[pos_ - 1] == 'e' && text_.substr(pos_ - 4, 4) == "true";
            return v;
        }
        if (consume("null")) return v;
        // RFC 8259's number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        size_t start = pos_;
        auto digits = [&] {
            size_t from = pos_;
            while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
                ++pos_;
            return pos_ - from;
        };
        if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
        size_t int_start = pos_;
        size_t int_digits = digits();
        if (int_digits == 0)
            return fail(start == pos_ ? fmt::format("unexpected character '{}'", c)
                                      : std::string("a '-' without digits"));
        if (int_digits > 1 && text_[int_start] == '0') return fail("a number with a leading 0");
        bool integral = true;
        if (pos_ < text_.size() && text_[pos_] == '.') {
            ++pos_;
            if (digits() == 0) return fail("no digits after the decimal point");
            integral = false;
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
            if (digits() == 0) return fail("no digits in the exponent");
            integral = false;
        }
        if (pos_ < text_.size() &&
            (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
             text_[pos_] == '+' || text_[pos_] == '-'))
            return fail("a malformed number");
        std::string number(text_.substr(start, pos_ - start));
        v.kind = JsonValue::Kind::number;
        v.number = std::strtod(number.c_str(), nullptr);
        if (!std::isfinite(v.number)) return fail("a number out of range");
        if (integral) {
            errno = 0;
            v.integer = std::strtoll(number.c_str(), nullptr, 10);
            if (errno == ERANGE) return fail("an integer out of range");
        } else if (v.number == std::floor(v.number) && std::fabs(v.number) < 9.2e18) {
            v.integer = static_cast<int64_t>(v.number); // 1e3 is 1000
        }
        return v;
    }

    std::string_view text_;
    std::string_view file_;
    size_t pos_ = 0;
};

} // namespace

Expected<JsonValue> parse_json(std::string_view text, std::string_view file_name) {
    return Parser(text, file_name).document();
}

} // namespace tracesim
