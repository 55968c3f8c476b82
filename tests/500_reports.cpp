// Layer 5: renderers format the one Results struct; JSON carries the versioned schema.
#include "base/json.h"
#include "helpers.h"
#include "report/render.h"

using namespace tracesim;

namespace {

Results sample() {
    Record r;
    r.arch = Arch::arm64;
    r.path = "ftrace";
    r.kernel = "6.2";
    r.handler = "read-args";
    r.regs_struct = "ftrace_regs";
    r.calls = 1;
    r.per_call = {40, 16, 20, 128, 160, 4, 112};
    r.traced = {52, 19, 23, 152, 184, 5, 144};
    r.phases = {{Phase::save, {16, 0, 17, 0, 136, 3, 144}}};
    r.checks = {true, true, true, true, std::nullopt, {}};
    Record unsupported;
    unsupported.arch = Arch::arm64;
    unsupported.path = "kprobe-ftrace";
    unsupported.kernel = "6.14";
    unsupported.supported = false;
    unsupported.reason = "no HAVE_KPROBES_ON_FTRACE";
    return Results{{r, unsupported}};
}

} // namespace

TEST_CASE("JSON has the schema, one record per run, and the documented keys") {
    std::string json = render(sample(), Format::json);
    CHECK(json.rfind("{\n  \"schema\": \"tracesim-results/1\",\n  \"results\": [", 0) == 0);
    for (const char* key :
         {"\"arch\": \"arm64\"", "\"per_call\": {", "\"instructions\": 40", "\"bytes_stored\": 160",
          "\"phases\": {", "\"save\": {", "\"traps\": 0", "\"core\": null",
          "\"cycles\": \"not modeled\"", "\"handler_args\": true", "\"supported\": false",
          "\"reason\": \"no HAVE_KPROBES_ON_FTRACE\""})
        CHECK_MESSAGE(json.find(key) != std::string::npos, key);
}

TEST_CASE("the text table shows unsupported paths with their reason") {
    std::string text = render(sample(), Format::text);
    std::string squeezed;
    for (char c : text)
        if (!(c == ' ' && !squeezed.empty() && squeezed.back() == ' ')) squeezed += c;
    INFO(squeezed);
    CHECK(squeezed.find("arm64 ftrace 6.2 ftrace_regs 40 16 20") != std::string::npos);
    CHECK(text.find("not supported: no HAVE_KPROBES_ON_FTRACE") != std::string::npos);
    CHECK(text.find("cycles: not modeled") != std::string::npos);
}

TEST_CASE("the JSON writer escapes and nests") {
    JsonWriter w;
    w.begin_object()
        .field("a", "x\"y\n")
        .key("b")
        .begin_array()
        .value(int64_t{1})
        .value(true)
        .null()
        .end_array();
    w.key("c").begin_object().end_object().end_object();
    CHECK(w.str() == "{\n  \"a\": \"x\\\"y\\n\",\n  \"b\": [\n    1,\n    true,\n    null\n  ],\n  "
                     "\"c\": {}\n}\n");
}

TEST_CASE("unknown formats are usage errors") {
    auto f = parse_format("yaml");
    REQUIRE_FALSE(f);
    CHECK(f.error().exit_code == ExitCode::usage_error);
}
