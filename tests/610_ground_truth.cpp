// The booted ground truth (sim/ground_truth.h): committed `tracesim boot` results, each booted
// path next to its model, and the gate that fails a model drifting from its booted kernel.
#include "cli/ground_truth.h"
#include "command.h"
#include "sim/ground_truth.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace tracesim;
namespace fs = std::filesystem;

namespace {

// A record of a boot JSON: phases {name: instructions}, loads and stores 1 per phase.
std::string record(const char* source, const char* path, const char* kernel, const char* handler,
                   std::vector<std::pair<const char*, int>> phases, bool supported = true) {
    std::string p;
    for (auto [name, n] : phases)
        p += fmt::format("{}\"{}\": {{\"instructions\": {}, \"loads\": 1, \"stores\": 1}}",
                         p.empty() ? "" : ", ", name, n);
    return fmt::format(R"({{"arch": "x86_64", "path": "{}", "kernel": "{}", "handler": "{}",
        {}"supported": {}, "calls": 1, "phases": {{{}}}}})",
                       path, kernel, handler,
                       *source ? fmt::format("\"source\": \"{}\", ", source) : "",
                       supported ? "true" : "false", p);
}

JsonValue doc(const std::vector<std::string>& records) {
    std::string text = R"({"schema": "tracesim-results/1", "results": [)";
    for (size_t i = 0; i < records.size(); ++i)
        text += (i ? ", " : "") + records[i];
    auto parsed = parse_json(text + "]}", "t.json");
    REQUIRE(parsed);
    return *parsed;
}

const TruthPhase* phase_of(const TruthComparison& c, Phase phase) {
    for (const TruthPhase& p : c.phases)
        if (p.phase == phase) return &p;
    return nullptr;
}

} // namespace

TEST_CASE("ground truth: booted records pair with their models in both layouts") {
    // `tracesim boot`: each booted record, then its model (another path's name is allowed)
    auto interleaved = read_booted_truth(
        doc({record("boot", "none", "7.3", "none", {}), record("", "none", "any", "read-all", {}),
             record("boot", "kprobe", "7.3", "the kernel's", {{"save", 30}}),
             record("", "kprobe-ftrace", "6.14", "read-all", {{"save", 31}}),
             record("boot", "fprobe", "7.3", "the kernel's", {}, false),
             record("", "fprobe", "6.14", "read-all", {})}),
        "boot-t");
    REQUIRE(interleaved);
    REQUIRE(interleaved->size() == 1); // none and the unsupported booted path left out
    CHECK(interleaved->front().booted.path == "kprobe");
    CHECK(interleaved->front().model.path == "kprobe-ftrace");
    // `boot --scenario`: the booted block, then the models of the same names
    auto block = read_booted_truth(
        doc({record("boot", "trig-a", "7.3", "the bench's program", {{"save", 10}}),
             record("boot", "trig-b", "7.3", "the bench's program", {{"save", 20}}),
             record("", "trig-a", "6.14", "empty", {{"save", 11}}),
             record("", "trig-b", "6.14", "empty", {{"save", 21}})}),
        "bench-t");
    REQUIRE(block);
    REQUIRE(block->size() == 2);
    CHECK(block->at(1).booted.path == "trig-b");
    CHECK(block->at(1).model.path == "trig-b");
    CHECK(block->at(1).model.phases.front().metrics.instructions == 21);
    CHECK_FALSE(read_booted_truth(doc({}), "empty")->size());
    CHECK_FALSE(read_booted_truth(*parse_json("{}", "x"), "x"));
    // A booted record without its model is an error naming the file, in either layout.
    auto lost =
        read_booted_truth(doc({record("boot", "kprobe", "7.3", "the kernel's", {{"save", 30}}),
                               record("boot", "kretprobe", "7.3", "the kernel's", {{"save", 30}}),
                               record("", "kprobe-ftrace", "6.14", "read-all", {{"save", 31}})}),
                          "boot-lost");
    REQUIRE_FALSE(lost);
    CHECK(lost.error().message.find("boot-lost") != std::string::npos);
    auto unpaired =
        read_booted_truth(doc({record("boot", "kprobe", "7.3", "the kernel's", {{"save", 30}}),
                               record("", "kprobe-ftrace", "6.14", "read-all", {{"save", 31}}),
                               record("boot", "kretprobe", "7.3", "the kernel's", {{"save", 30}})}),
                          "boot-end");
    REQUIRE_FALSE(unpaired);
    CHECK(unpaired.error().message.find("the booted x86_64 kretprobe has no model") !=
          std::string::npos);
}

TEST_CASE("ground truth: the phases both sides mean alike are compared, and how far apart") {
    auto kernel_tracer = read_booted_truth(
        doc({record("boot", "ftrace", "7.3", "the kernel's",
                    {{"site", 1}, {"save", 24}, {"handler", 500}, {"restore", 12}, {"body", 68}}),
             record("", "ftrace", "6.14", "read-all",
                    {{"caller", 1},
                     {"site", 1},
                     {"save", 16},
                     {"dispatch", 4},
                     {"handler", 7},
                     {"restore", 12},
                     {"body", 8}})}),
        "boot-t");
    REQUIRE(kernel_tracer);
    const BootedTruth& t = kernel_tracer->front();
    TruthComparison c = compare_with_truth(t, t.model);
    // not the caller, not the body, not the kernel's own tracer as handler; dispatch only on
    // the model's side is compared (against 0)
    CHECK_FALSE(phase_of(c, Phase::caller));
    CHECK_FALSE(phase_of(c, Phase::body));
    CHECK_FALSE(phase_of(c, Phase::handler));
    REQUIRE(phase_of(c, Phase::dispatch));
    CHECK(phase_of(c, Phase::dispatch)->booted.instructions == 0);
    CHECK(c.model_total.instructions == 1 + 16 + 4 + 12);
    CHECK(c.booted_total.instructions == 1 + 24 + 12);
    CHECK(c.worst == Phase::dispatch);
    CHECK(c.worst_off == 1.0);
    CHECK(c.total_off == doctest::Approx(4.0 / 37));
    // the BPF bench's program is the handler on both sides: compared
    auto bench = read_booted_truth(
        doc({record("boot", "trig-fentry", "7.3", "the bench's program", {{"handler", 18}}),
             record("", "trig-fentry", "6.14", "empty", {{"handler", 16}})}),
        "bench-t");
    TruthComparison b = compare_with_truth(bench->front(), bench->front().model);
    REQUIRE(phase_of(b, Phase::handler));
    CHECK(b.worst_off == doctest::Approx(2.0 / 18));
}

TEST_CASE("ground truth: a model moving away from its booted kernel is a regression, closer an "
          "improvement") {
    auto pairs = read_booted_truth(
        doc({record("boot", "kprobe", "7.3", "the kernel's", {{"save", 30}, {"restore", 20}}),
             record("", "kprobe-ftrace", "6.14", "read-all", {{"save", 26}, {"restore", 20}})}),
        "boot-t");
    const BootedTruth& t = pairs->front();
    const TruthComparison then = compare_with_truth(t, t.model);
    Record model = t.model;
    CheckReport same;
    check_against_truth(then, compare_with_truth(t, model), same);
    CHECK(same.changes.empty());
    CHECK(same.values == 6);                   // 2 phases x instructions, loads, stores
    // a compared phase the model no longer has is compared as 0 now
    Record without_restore = model;
    without_restore.phases.pop_back();
    CheckReport dropped;
    check_against_truth(then, compare_with_truth(t, without_restore), dropped);
    CHECK(dropped.regressed(false));           // restore: 0 off -> 20 off
    model.phases[0].metrics.instructions = 28; // save: 4 -> 2 off
    model.phases[1].metrics.instructions = 21; // restore: 0 -> 1 off
    CheckReport report;
    check_against_truth(then, compare_with_truth(t, model), report);
    REQUIRE(report.changes.size() == 2);
    CHECK(report.scenarios == std::vector<std::string>{"booted boot-t"});
    for (const Change& c : report.changes) {
        CAPTURE(c.where);
        CHECK(c.kind == (c.where == "save" ? ChangeKind::improvement : ChangeKind::regression));
        CHECK(c.metric == (c.where == "save" ? "instructions off booted (30)"
                                             : "instructions off booted (20)"));
    }
    CHECK(report.regressed(false));
}

TEST_CASE("ground truth: the committed boots pair with today's models, none drifted") {
    auto catalogue = load_catalogue();
    REQUIRE(catalogue);
    const std::vector<fs::path> files = ground_truth_files();
    REQUIRE(files.size() >= 8); // 6.1, 6.12, 7.x on both arches, the BPF bench's 6.12 and 7.x
    auto run = run_ground_truth(*catalogue, files, 2);
    REQUIRE(run);
    // every supported booted path but the untraced baseline, each with its model: 36 tracefs
    // paths over six boots, 34 of the BPF bench over four
    CHECK(run->now.size() == 70);
    CheckReport report;
    for (size_t i = 0; i < run->now.size(); ++i)
        check_against_truth(run->recorded[i], run->now[i], report);
    for (const Change& c : report.changes)
        MESSAGE(c.scenario, " ", c.record, " ", c.where, " ", c.metric, ": ", c.old_value, " -> ",
                c.new_value);
    CHECK_FALSE(report.regressed(false));
}

TEST_CASE("tracesim check: a trampoline change that moves a model away from its booted kernel "
          "fails the gate") {
    const fs::path root = fs::temp_directory_path() / "tracesim-ground-truth-drift";
    fs::remove_all(root);
    fs::create_directories(root / "results");
    const fs::path source = TRACESIM_SOURCE_DIR;
    for (const char* dir : {"kernels", "isa", "scenarios"})
        fs::copy(source / dir, root / dir, fs::copy_options::recursive);
    fs::copy(source / "results" / "boot-7.3-amd64.json", root / "results" / "boot-7.3-amd64.json");
    auto tracesim = [&](const std::string& args) {
        return test::run_tracesim(args, "TRACESIM_HOME=" + root.string());
    };
    test::Outcome clean = tracesim("check --ground-truth");
    CHECK(clean.exit_code == 0);
    CHECK(clean.output.find("x86_64  ftrace") != std::string::npos); // the table
    CHECK(clean.output.find("0 regression(s)") != std::string::npos);
    // ftrace's restore phase runs as many instructions as the booted kernel's: one more drifts
    const fs::path macro = root / "kernels" / "x86_64" / "macros" / "mcount_regs.inc";
    std::stringstream text;
    text << std::ifstream(macro).rdbuf();
    std::string content = text.str();
    const std::string line = "    movq    PT_R9(%rsp), %r9\n";
    REQUIRE(content.find(line) != std::string::npos);
    content.replace(content.find(line), line.size(), line + "    movq    PT_R9(%rsp), %r9\n");
    std::ofstream(macro) << content;
    test::Outcome drifted = tracesim("check --ground-truth");
    CHECK(drifted.exit_code == 3);
    const std::string squeezed = std::regex_replace(drifted.output, std::regex(" +"), " ");
    CHECK(squeezed.find("booted boot-7.3-amd64 x86_64 ftrace (model ftrace 6.14) restore "
                        "instructions off booted (12) 12 13") != std::string::npos);
    CHECK(tracesim("check --ground-truth --update").exit_code == 2);
    CHECK(tracesim("check --ground-truth --all").exit_code == 2);
    // no ground truth at all: an error, not a vacuous pass
    fs::remove(root / "results" / "boot-7.3-amd64.json");
    test::Outcome none = tracesim("check --ground-truth");
    CHECK(none.exit_code == 1);
    CHECK(none.output.find("no ground truth") != std::string::npos);
    fs::remove_all(root);
}
