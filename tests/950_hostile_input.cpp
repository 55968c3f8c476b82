// Layer 9 again, as a hostile user: every bad input gets one `tracesim:` message, a non-zero exit,
// no hang and no crash, and nothing written or replaced (docs/reliability.md).
#include "base/json.h"
#include "command.h"
#include "report/render.h"
#include "sim/check.h"

#include <cstring>
#include <doctest/doctest.h>
#include <elf.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using tracesim::test::Outcome;
using tracesim::test::run_tracesim;

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / fmt::format("tracesim-hostile-{}", getpid());
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return path / name;
    }
};

// One clear message: a `tracesim:` line, the expected words, the expected exit code.
void refused(const Outcome& o, int code, const std::string& words) {
    CAPTURE(o.output);
    CHECK(o.exit_code == code);
    CHECK(o.output.find("tracesim: ") != std::string::npos);
    CHECK(o.output.find(words) != std::string::npos);
}

std::string elf_with_wrapping_section() {
    Elf64_Ehdr e{};
    std::memcpy(e.e_ident, ELFMAG, SELFMAG);
    e.e_ident[EI_CLASS] = ELFCLASS64;
    e.e_ident[EI_DATA] = ELFDATA2LSB;
    e.e_ident[EI_VERSION] = EV_CURRENT;
    e.e_type = ET_EXEC;
    e.e_machine = EM_X86_64;
    e.e_version = EV_CURRENT;
    e.e_ehsize = sizeof e;
    e.e_shentsize = sizeof(Elf64_Shdr);
    e.e_shnum = 2;
    e.e_shoff = sizeof e;
    Elf64_Shdr none{}, wraps{};
    wraps.sh_type = SHT_NOBITS;
    wraps.sh_flags = SHF_ALLOC;
    wraps.sh_addr = 0xffffffffffff0000ull;
    wraps.sh_size = 0x100000;
    std::string bytes(reinterpret_cast<const char*>(&e), sizeof e);
    bytes.append(reinterpret_cast<const char*>(&none), sizeof none);
    bytes.append(reinterpret_cast<const char*>(&wraps), sizeof wraps);
    return bytes;
}

} // namespace

TEST_CASE("hostile: kernel images and System.maps that once crashed") {
    TempDir t;
    auto text = t.write("ok.map", "ffffffff81000000 T _text\n");
    std::string image(0x40, '\0');
    image.replace(0x38, 4, "ARM\x64");
    uint64_t huge = 0xfffffffffffff000ull;
    image.replace(0x10, 8, std::string(reinterpret_cast<const char*>(&huge), 8));
    auto img = t.write("Image", image);
    refused(run_tracesim("kernel --vmlinux " + img.string() + " --system-map " +
                         t.write("bad.map", "zzzz T foo\n").string()),
            2, "bad.map:1: 'zzzz' is not a 64-bit hexadecimal address");
    refused(run_tracesim("kernel --vmlinux " + img.string() + " --system-map " +
                         t.write("wide.map", "1ffffffffffffffff T foo\n").string()),
            2, "wide.map:1: '1ffffffffffffffff' is not a 64-bit hexadecimal address");
    refused(run_tracesim("kernel --vmlinux " + img.string() + " --system-map " + text.string()),
            1, "image_size 0xfffffffffffff000 is beyond");
    refused(run_tracesim("kernel --vmlinux " + t.write("wraps.elf", elf_with_wrapping_section()).string()),
            1, "runs past the top of the address space");
    refused(run_tracesim("kernel --vmlinux /dev/zero"), 2, "/dev/zero: is a character device");
    // Found by the image fuzz target: a symbol table larger than the file took minutes.
    refused(run_tracesim("kernel --vmlinux " + std::string(TRACESIM_SOURCE_DIR) +
                         "/tests/fuzz/regressions/image/symtab-past-the-file"),
            1, "its symbol table runs past the end of the file");
}

TEST_CASE("hostile: inputs are regular files — a FIFO or a directory is refused, not waited on") {
    TempDir t;
    fs::path fifo = t.path / "fifo.toml";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    refused(run_tracesim("run " + fifo.string()), 2, "is a FIFO, not a regular file");
    fs::create_directories(t.path / "base" / "default.json");
    refused(run_tracesim("check " + std::string(TRACESIM_SOURCE_DIR) +
                         "/scenarios/default.toml --baseline " + (t.path / "base").string()),
            2, "is a directory, not a regular file");
    fs::remove_all(t.path / "base");
    t.write("base/x", "");
    fs::create_directories(t.path / "empty");
    t.write("empty/default.json", "\n");
    refused(run_tracesim("check " + std::string(TRACESIM_SOURCE_DIR) +
                         "/scenarios/default.toml --baseline " + (t.path / "empty").string()),
            2, "the baseline is empty");
    auto file = t.write("plain.json", "{}");
    refused(run_tracesim("check " + std::string(TRACESIM_SOURCE_DIR) +
                         "/scenarios/default.toml --update --baseline " + file.string()),
            2, "is not a directory");
    CHECK(fs::is_regular_file(file));
}

TEST_CASE("hostile: a variant that includes itself, /dev/zero, or makes 4 GiB is refused") {
    TempDir t;
    auto self = t.write("self.S", ".include \"self.S\"\n");
    auto zero = t.write("zero.S", "    .include \"/dev/zero\"\n");
    auto fill = t.write("fill.S", "    .fill 0x100000000, 1, 0\n");
    // Found by the assembler fuzz target (tests/fuzz/regressions/assembler/): a directive with
    // only blanks after it threw std::out_of_range out of the include scan.
    auto blanks = t.write("blanks.S", "    .include \t \n");
    Outcome b = run_tracesim("compare --arch x86_64 --path ftrace --asm-b " + blanks.string());
    CHECK(b.exit_code != 0);
    CHECK(b.output.find("tracesim: ") != std::string::npos);
    CHECK(b.output.find("terminate") == std::string::npos);
    refused(run_tracesim("compare --arch x86_64 --path ftrace --asm-b " + self.string()), 2,
            "self.S\" includes a file that is already being included");
    refused(run_tracesim("compare --arch x86_64 --path ftrace --asm-b " + zero.string()), 2,
            "zero.S:1: .include \"/dev/zero\": is a character device");
    refused(run_tracesim("compare --arch x86_64 --path ftrace --asm-b " + fill.string()), 2,
            "fill.S:1: .fill of 4294967296 bytes");
}

TEST_CASE("hostile: what was silently accepted is refused") {
    TempDir t;
    const std::string scenario = std::string(TRACESIM_SOURCE_DIR) + "/scenarios/default.toml";
    refused(run_tracesim("bogus"), 2, "unknown command 'bogus'");
    refused(run_tracesim("run --core bogus --path ftrace"), 2, "unknown core 'bogus'");
    refused(run_tracesim("run " + scenario + " --calls 3 --core znver3"), 2, "drop --core --calls");
    CHECK(run_tracesim("run --budget -1 --path ftrace").exit_code == 2);
    auto nan_clock = t.write("nan.toml", "title = \"t\"\npaths = [\"ftrace\"]\narches = "
                                         "[\"x86_64\"]\nclock_ghz = nan\n");
    refused(run_tracesim("run " + nan_clock.string()), 2, "'clock_ghz' must be a number above 0");
    auto inf_tol = t.write("inf.toml", "title = \"t\"\npaths = [\"ftrace\"]\narches = "
                                       "[\"x86_64\"]\n[tolerance]\ncycles_warm = { relative = "
                                       "inf }\n");
    refused(run_tracesim("run " + inf_tol.string()), 2, "must be a finite number >= 0");
    auto era = t.write("era.toml", "title = \"t\"\npaths = [\"ftrace\", \"fgraph\"]\narches = "
                                   "[\"x86_64\"]\nratios = [\"ftrace@9.99/fgraph\"]\n");
    refused(run_tracesim("run " + era.string()), 2, "'ftrace@9.99' is not one of the scenario's paths");
    // stdout on a full disk: run_tracesim sends stderr there too, so only the exit tells.
    CHECK(run_tracesim("run --arch x86_64 --path ftrace > /dev/full").exit_code == 1);
}

TEST_CASE("hostile: -o never replaces a symlink, a device or the run's own input") {
    TempDir t;
    auto target = t.write("target.txt", "keep me\n");
    fs::create_symlink(target, t.path / "link.txt");
    refused(run_tracesim("run --arch x86_64 --path ftrace -o " + (t.path / "link.txt").string()), 2,
            "is a symbolic link");
    CHECK(fs::is_symlink(t.path / "link.txt"));
    auto scenario = t.write("mine.toml", "title = \"t\"\npaths = [\"ftrace\"]\narches = [\"x86_64\"]\n");
    refused(run_tracesim("run " + scenario.string() + " -o " + scenario.string()), 2,
            "is an input of this run");
    std::ifstream in(scenario);
    std::string first;
    std::getline(in, first);
    CHECK(first == "title = \"t\"");
    fs::path fifo = t.path / "out.fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    refused(run_tracesim("run --arch x86_64 --path ftrace -o " + fifo.string()), 2,
            "is not a regular file");
    std::ifstream keep(target);
    std::getline(keep, first);
    CHECK(first == "keep me");
    for (const auto& e : fs::directory_iterator(t.path)) // no temporary left behind
        CHECK(e.path().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("hostile: the JSON reader takes RFC 8259 numbers only") {
    using tracesim::parse_json;
    for (const char* bad : {"-", "eee", "+39", "1-2", "01", "1.", ".5", "1e", "--1", "1e+", "[1 2]",
                            "1 2", "{\"a\": 007}", "[0.5, -.5]"})
        CHECK_MESSAGE(!parse_json(bad, "t.json"), bad);
    for (const char* good : {"0", "-0", "0.5", "-1.25e+3", "1E2", "[\"01\", \"+39\", \"a\\\"1.\"]"})
        CHECK_MESSAGE(parse_json(good, "t.json"), good);
    auto leading_zero = parse_json("{\n  \"a\": 01\n}", "t.json");
    REQUIRE_FALSE(leading_zero);
    CHECK(leading_zero.error().message == "t.json:2:8: '01' is not a JSON number (RFC 8259)");
    auto broken = parse_json("{\n  \"a\": 1,\n  \"b\" 2\n}", "t.json");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message.rfind("t.json:3:", 0) == 0); // file:line:col
    auto thousand = parse_json("1e3", "t.json");
    REQUIRE(thousand);
    CHECK(thousand->integer == 1000);
    auto negative = parse_json("-12", "t.json");
    REQUIRE(negative);
    CHECK(negative->integer == -12);
    CHECK_FALSE(parse_json("99999999999999999999", "t.json")); // no silent clamp
}

TEST_CASE("hostile: a failed functional check gates, and \"39\" is not 39") {
    using namespace tracesim;
    Record good{Arch::x86_64, "p", "6.14"};
    good.handler = "h";
    good.per_call.instructions = 100;
    good.checks.return_value = good.checks.callee_saved = good.checks.stack_balanced = true;
    const std::string baseline_text = render(Results{{good}}, Format::json);
    auto base = parse_json(baseline_text, "base");
    REQUIRE(base);
    Scenario s;
    s.name = "t";
    CheckReport same;
    REQUIRE(compare_with_baseline(s, *base, Results{{good}}, same));
    CHECK(same.changes.empty()); // the typed record compares equal to its own JSON
    CHECK(same.values > 10);
    Record broken = good;
    broken.per_call.instructions = 90;
    broken.checks.return_value = false;
    CheckReport report;
    REQUIRE(compare_with_baseline(s, *base, Results{{broken}}, report));
    CHECK(report.regressed(false)); // fewer instructions, but it returns the wrong value
    bool named = false, fewer = false;
    for (const Change& c : report.changes) {
        named = named || (c.where == "checks" && c.kind == ChangeKind::regression);
        fewer = fewer || (c.metric == "instructions" && c.kind == ChangeKind::improvement);
    }
    CHECK(named);
    CHECK(fewer);
    // A baseline holding the count as a string: not the same value as the number 100.
    std::string quoted = baseline_text;
    const std::string number = "\"instructions\": 100";
    const size_t at = quoted.find(number);
    REQUIRE(at != std::string::npos);
    quoted.replace(at, number.size(), "\"instructions\": \"100\"");
    auto as_string = parse_json(quoted, "base");
    REQUIRE(as_string);
    CheckReport strings;
    REQUIRE(compare_with_baseline(s, *as_string, Results{{good}}, strings));
    CHECK_FALSE(strings.changes.empty());
}

TEST_CASE("hostile: a variant's faults are its own, with their lines") {
    TempDir t;
    auto empty = t.write("empty.S", "");
    auto undef = t.write("undef.S", "    .text\n    .globl ftrace_caller\nftrace_caller:\n"
                                    "phase.save.v:\n    call no_such_function\n    ret\n");
    auto recursive = t.write("rec.S", ".macro m\n m\n.endm\n m\n");
    auto warns = t.write("warn.S", "    .warning \"careful\"\n");
    refused(run_tracesim("compare --arch x86_64 --path ftrace --asm-b " + empty.string()), 2,
            "empty.S: defines no 'ftrace_caller', which the path's site calls");
    refused(run_tracesim("compare --arch x86_64 --path ftrace --asm-b " + undef.string()), 1,
            "undef.S:5: undefined symbol 'no_such_function'");
    Outcome rec = run_tracesim("compare --arch x86_64 --path ftrace --asm-b " + recursive.string());
    CHECK(rec.exit_code != 0);
    CHECK(rec.output.find("does a macro expand itself?") != std::string::npos);
    CHECK(rec.output.find("-asm-macro-max-nesting-depth") == std::string::npos);
    Outcome warn = run_tracesim("compare --arch x86_64 --path ftrace --asm-b " + warns.string());
    CHECK(warn.output.find("warn.S:1:5: warning: careful") != std::string::npos);
}

#include "sim/calibrate/native.h"
#include "sim/calibrate/sandbox.h"

#include <sys/syscall.h>

// The sandbox native calibration runs a path's code in: a system call, an exit or a hang of the
// code ends the child, never tracesim, and each is reported as what it was.
TEST_CASE("hostile: native code runs in a sandboxed child" *
          doctest::skip(!tracesim::native_supported())) {
    using tracesim::enter_sandbox;
    using tracesim::run_sandboxed;
    auto fine = run_sandboxed([] { return enter_sandbox() ? std::string("done") : "no filter"; }, 10);
    REQUIRE(fine);
    CHECK(*fine == "done");
    auto calls = run_sandboxed(
        [] {
            if (!enter_sandbox()) return std::string("no filter");
            syscall(SYS_getpid); // what a user's variant might do
            return std::string("not stopped");
        },
        10);
    REQUIRE_FALSE(calls);
    CHECK(calls.error().message.find("made a system call natively") != std::string::npos);
    auto exits = run_sandboxed(
        [] {
            if (enter_sandbox()) syscall(SYS_exit_group, 42); // exit(42) in a variant
            return std::string("not exited");
        },
        10);
    REQUIRE_FALSE(exits);
    CHECK(exits.error().message.find("exited with status 42") != std::string::npos);
    auto hangs = run_sandboxed(
        [] {
            if (enter_sandbox())
                for (volatile int spin = 0;; spin = spin + 1) {}
            return std::string("not hung");
        },
        1);
    REQUIRE_FALSE(hangs);
    CHECK(hangs.error().message.find("took over 1 s") != std::string::npos);
}

TEST_CASE("hostile: a path that clobbers a callee-saved register fails run and check") {
    TempDir t;
    fs::path source = TRACESIM_SOURCE_DIR;
    for (const char* dir : {"kernels", "isa", "scenarios"})
        fs::copy(source / dir, t.path / dir, fs::copy_options::recursive);
    fs::create_directories(t.path / "results" / "baseline");
    fs::copy(source / "results" / "baseline" / "default.json",
             t.path / "results" / "baseline" / "default.json");
    // ftrace_caller's restore is the macro it shares with ftrace_regs_caller
    fs::path file = t.path / "kernels" / "x86_64" / "macros" / "mcount_regs.inc";
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::string restore = "    movq    PT_BP(%rsp), %rbp\n";
    size_t at = s.find(restore);
    REQUIRE(at != std::string::npos);
    s.replace(at, restore.size(), "    movq    $0x1234, %rbp\n"); // fewer loads, wrong rbp
    std::ofstream(file) << s;
    const std::string home = "TRACESIM_HOME=" + t.path.string();
    refused(run_tracesim("run --arch x86_64 --path ftrace", home), 1, "functional check failed");
    Outcome gate = run_tracesim("check " + (t.path / "scenarios" / "default.toml").string(), home);
    CHECK(gate.exit_code == 3);
    CHECK(gate.output.find("functional check failed") != std::string::npos);
    Outcome update =
        run_tracesim("check --update " + (t.path / "scenarios" / "default.toml").string(), home);
    CHECK(update.exit_code == 1);
    CHECK(update.output.find("a baseline must hold working paths") != std::string::npos);
}
