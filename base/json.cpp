#include "base/json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>
#include <optional>

namespace tracesim {

// `attribute`: per open container, whether it is the value of a key (its end closes the
// attribute). `pending`: a key was written and its value has not begun.
struct JsonWriter::Stream {
    std::string text;
    llvm::raw_string_ostream os{text};
    llvm::json::OStream json{os, 2};
    std::vector<bool> attribute;
    bool pending = false;
};

JsonWriter::JsonWriter() : stream_(std::make_unique<Stream>()) {}
JsonWriter::~JsonWriter() = default;

void JsonWriter::after_value() {
    if (!stream_->pending) return;
    stream_->pending = false;
    stream_->json.attributeEnd();
}

void JsonWriter::enter() {
    stream_->attribute.push_back(stream_->pending);
    stream_->pending = false;
}

void JsonWriter::leave() {
    stream_->pending = stream_->attribute.back();
    stream_->attribute.pop_back();
    after_value();
}

JsonWriter& JsonWriter::begin_object() {
    enter();
    stream_->json.objectBegin();
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    stream_->json.objectEnd();
    leave();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    enter();
    stream_->json.arrayBegin();
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    stream_->json.arrayEnd();
    leave();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    stream_->json.attributeBegin(llvm::StringRef(name.data(), name.size()));
    stream_->pending = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    stream_->json.value(std::string(text));
    after_value();
    return *this;
}

JsonWriter& JsonWriter::value(int64_t number) {
    stream_->json.value(number);
    after_value();
    return *this;
}

JsonWriter& JsonWriter::value(double number) {
    stream_->json.rawValue(fmt::format("{:.3f}", number));
    after_value();
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    stream_->json.value(flag);
    after_value();
    return *this;
}

JsonWriter& JsonWriter::null() {
    stream_->json.value(nullptr);
    after_value();
    return *this;
}

std::string JsonWriter::str() const {
    stream_->os.flush();
    return stream_->text + "\n";
}

const JsonValue* JsonValue::get(std::string_view key) const {
    for (const JsonMember& m : object)
        if (m.first == key) return &m.second;
    return nullptr;
}

namespace {

// An integral number out of int64's range was an integer too long to keep: refused, not rounded.
bool convert(const llvm::json::Value& in, JsonValue& out) {
    using Kind = JsonValue::Kind;
    switch (in.kind()) {
    case llvm::json::Value::Null:
        out.kind = Kind::null;
        return true;
    case llvm::json::Value::Boolean:
        out.kind = Kind::boolean;
        out.boolean = *in.getAsBoolean();
        return true;
    case llvm::json::Value::Number:
        out.kind = Kind::number;
        if (auto i = in.getAsInteger()) {
            out.integer = *i;
            out.number = static_cast<double>(*i);
            return true;
        }
        out.number = *in.getAsNumber();
        if (out.number != std::floor(out.number)) return true;
        if (std::fabs(out.number) >= 9.2e18) return false;
        out.integer = static_cast<int64_t>(out.number);
        return true;
    case llvm::json::Value::String:
        out.kind = Kind::string;
        out.string = in.getAsString()->str();
        return true;
    case llvm::json::Value::Array:
        out.kind = Kind::array;
        for (const llvm::json::Value& v : *in.getAsArray())
            if (!convert(v, out.array.emplace_back())) return false;
        return true;
    case llvm::json::Value::Object:
        out.kind = Kind::object;
        for (const auto& [key, v] : *in.getAsObject()) {
            out.object.push_back({key.str(), {}});
            if (!convert(v, out.object.back().second)) return false;
        }
        // llvm::json's object is a hash map: sorted, the order is the same on every host
        std::sort(out.object.begin(), out.object.end(),
                  [](const JsonMember& a, const JsonMember& b) { return a.first < b.first; });
        return true;
    }
    return false;
}

bool digit(char c) {
    return c >= '0' && c <= '9';
}

// RFC 8259's number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
bool rfc_number(std::string_view t) {
    size_t i = 0;
    auto digits = [&] {
        const size_t from = i;
        while (i < t.size() && digit(t[i]))
            ++i;
        return i - from;
    };
    if (i < t.size() && t[i] == '-') ++i;
    if (i < t.size() && t[i] == '0')
        ++i;
    else if (i == t.size() || !digit(t[i]) || digits() == 0)
        return false;
    if (i < t.size() && t[i] == '.') {
        ++i;
        if (digits() == 0) return false;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        if (digits() == 0) return false;
    }
    return i == t.size();
}

bool number_char(char c) {
    return digit(c) || std::string_view("+-.eE").find(c) != std::string_view::npos;
}

// llvm::json reads some numbers RFC 8259 does not allow (01, +39, 1., .5) as the number they
// start with; in tracesim's own files such a number is a hand edit gone wrong, so it is refused.
// The first one outside a string, if any (a view into `text`).
std::optional<std::string_view> first_non_rfc_number(std::string_view text) {
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
            continue;
        }
        if (c != '-' && c != '+' && c != '.' && !digit(c)) continue;
        size_t end = i;
        while (end < text.size() && number_char(text[end]))
            ++end;
        const std::string_view token = text.substr(i, end - i);
        if (!rfc_number(token)) return token;
        i = end - 1;
    }
    return std::nullopt;
}

} // namespace

Expected<JsonValue> parse_json(std::string_view text, std::string_view file_name) {
    if (auto token = first_non_rfc_number(text)) {
        const std::string_view before = text.substr(0, token->data() - text.data());
        const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
        const size_t line_start =
            before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
        return make_error("{}:{}:{}: '{}' is not a JSON number (RFC 8259)", file_name, line,
                          before.size() - line_start + 1, *token);
    }
    auto parsed = llvm::json::parse(llvm::StringRef(text.data(), text.size()));
    if (!parsed) {
        // llvm::json::ParseError logs as "[line:column, byte=offset]: message"
        std::string message = llvm::toString(parsed.takeError());
        unsigned line = 0, column = 0, offset = 0;
        int consumed = 0;
        if (std::sscanf(message.c_str(), "[%u:%u, byte=%u]: %n", &line, &column, &offset,
                        &consumed) == 3 &&
            consumed > 0)
            return make_error("{}:{}:{}: {}", file_name, line, column, message.substr(consumed));
        return make_error("{}: {}", file_name, message);
    }
    JsonValue value;
    if (!convert(*parsed, value))
        return make_error("{}: an integer out of range (beyond 64 bits)", file_name);
    return value;
}

} // namespace tracesim
