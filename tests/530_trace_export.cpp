// Layer 5: the timeline export (`tracesim trace --format perfetto`) against the trace-event
// format's rules as its consumers read them (Chrome's trace-event format document, Perfetto's
// JSON importer, speedscope's): a speedscope import in headless Chromium is tests/charts/.
#include "base/json.h"
#include "helpers.h"
#include "report/trace_events.h"
#include "sim/runner.h"

#include <algorithm>
#include <doctest/doctest.h>
#include <map>

using namespace tracesim;
using tracesim::test::catalogue;

namespace {

// The rules every event must keep; returns the problems found (empty: a valid file).
std::vector<std::string> trace_event_problems(const JsonValue& root) {
    std::vector<std::string> problems;
    const JsonValue* events = root.get("traceEvents");
    if (!events || !events->is(JsonValue::Kind::array)) return {"no traceEvents array"};
    struct Slice {
        double start, end;
    };
    std::map<std::pair<int64_t, int64_t>, std::vector<Slice>> slices; // per (pid, tid)
    std::map<std::pair<int64_t, int64_t>, bool> named;
    for (const JsonValue& e : events->array) {
        const JsonValue *name = e.get("name"), *ph = e.get("ph"), *pid = e.get("pid"),
                        *tid = e.get("tid"), *ts = e.get("ts");
        if (!name || !name->is(JsonValue::Kind::string) || !ph ||
            !ph->is(JsonValue::Kind::string) || !pid || !pid->is(JsonValue::Kind::number) || !tid ||
            !tid->is(JsonValue::Kind::number)) {
            problems.push_back("an event without name, ph, pid or tid");
            continue;
        }
        if (ph->string == "M") {
            const JsonValue* args = e.get("args");
            if ((name->string != "process_name" && name->string != "thread_name") || !args ||
                !args->get("name"))
                problems.push_back("metadata event " + name->string + " without args.name");
            if (name->string == "thread_name") named[{pid->integer, tid->integer}] = true;
            continue;
        }
        if (!ts || !ts->is(JsonValue::Kind::number) || ts->number < 0) {
            problems.push_back(name->string + ": no ts >= 0");
            continue;
        }
        if (ph->string == "X") {
            const JsonValue* dur = e.get("dur");
            if (!dur || !dur->is(JsonValue::Kind::number) || dur->number < 0)
                problems.push_back(name->string + ": complete event without dur >= 0");
            else
                slices[{pid->integer, tid->integer}].push_back(
                    {ts->number, ts->number + dur->number});
        } else if (ph->string == "i") {
            const JsonValue* s = e.get("s");
            if (!s || (s->string != "t" && s->string != "p" && s->string != "g"))
                problems.push_back(name->string + ": instant event without scope t|p|g");
        } else {
            problems.push_back("unexpected phase type " + ph->string);
        }
    }
    // Slices on one thread must nest or follow each other (a viewer stacks them by that).
    for (auto& [track, list] : slices) {
        if (!named[track])
            problems.push_back(
                fmt::format("track {}/{} has no thread_name", track.first, track.second));
        std::stable_sort(list.begin(), list.end(),
                         [](const Slice& a, const Slice& b) { return a.start < b.start; });
        std::vector<double> open;
        for (const Slice& s : list) {
            while (!open.empty() && open.back() <= s.start)
                open.pop_back();
            if (!open.empty() && s.end > open.back())
                problems.push_back(fmt::format("track {}/{}: slice [{}, {}) overlaps one ending "
                                               "at {} without nesting",
                                               track.first, track.second, s.start, s.end,
                                               open.back()));
            open.push_back(s.end);
        }
    }
    return problems;
}

} // namespace

TEST_CASE("the trace-event export keeps the format's rules, for every instruction, warm and cold") {
    for (auto [arch, path] :
         {std::pair{Arch::x86_64, "kretprobe"}, std::pair{Arch::arm64, "kprobe"}}) {
        CAPTURE(path);
        RunRequest request{arch, path, "", "read-all", 2};
        auto traced = trace_path(catalogue(), request);
        REQUIRE(traced);
        auto json = render_trace_events("t", traced->trace, traced->timing);
        REQUIRE(json);
        auto root = parse_json(*json, "export");
        REQUIRE(root);
        CHECK(trace_event_problems(*root) == std::vector<std::string>{});
        // Each instruction is one slice per call (process), named by its disassembly.
        size_t instructions = 0, phases = 0;
        for (const JsonValue& e : root->get("traceEvents")->array)
            if (e.get("ph")->string == "X") ++(e.get("tid")->integer == 1 ? phases : instructions);
        CHECK(instructions == 2 * traced->trace.instructions.size());
        CHECK(phases >= 2 * traced->record.phases.size());
        CHECK(root->get("otherData")->get("cycles_warm")->integer ==
              traced->timing.total.cycles_warm);
    }
}

TEST_CASE("the rules checker itself rejects what the format forbids") {
    auto problems_of = [](const char* text) {
        auto root = parse_json(text, "t");
        REQUIRE(root);
        return trace_event_problems(*root);
    };
    CHECK_FALSE(problems_of(R"({"traceEvents": [{"name": "a", "ph": "X", "pid": 1, "tid": 1,
        "ts": 0, "dur": 5}, {"name": "b", "ph": "X", "pid": 1, "tid": 1, "ts": 3, "dur": 5},
        {"name": "thread_name", "ph": "M", "pid": 1, "tid": 1, "args": {"name": "x"}}]})")
                    .empty()); // partial overlap
    CHECK_FALSE(problems_of(R"({"traceEvents": [{"name": "a", "ph": "i", "pid": 1, "tid": 1,
        "ts": 0}]})")
                    .empty()); // instant without scope
    CHECK_FALSE(problems_of(R"({"events": []})").empty());
    CHECK(problems_of(R"({"traceEvents": [{"name": "a", "ph": "X", "pid": 1, "tid": 1,
        "ts": 0, "dur": 5}, {"name": "b", "ph": "X", "pid": 1, "tid": 1, "ts": 1, "dur": 2},
        {"name": "thread_name", "ph": "M", "pid": 1, "tid": 1, "args": {"name": "x"}}]})")
              .empty()); // nested is fine
}
