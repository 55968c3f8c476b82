// Layer 4: register truth. What each path's handler is given, field by field, against the state
// the CPU really had when the probe fired — measured by the emulator, not typed in.
#include "helpers.h"
#include "sim/runner.h"

#include <algorithm>

using namespace tracesim;
using tracesim::test::catalogue;

namespace {

Record regs_of(Arch arch, const std::string& path, const std::string& kernel = "") {
    auto record =
        run_path(catalogue(), RunRequest{arch, path, kernel, "read-all", 1, 100'000, true});
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

const FieldCheck& field(const Record& r, const std::string& at, const std::string& name) {
    for (const FieldCheck& c : r.regs_check)
        if (c.at == at && c.field == name) return c;
    FAIL("no ", at, " field ", name, " in ", r.path);
    throw 0;
}

bool lost(const FieldCheck& c, const std::string& bit) {
    return std::find(c.lost_bits.begin(), c.lost_bits.end(), bit) != c.lost_bits.end();
}

} // namespace

TEST_CASE("x86_64 args-only ftrace_regs: flags stale, cs faked, args exact, callee-saved stale") {
    Record r = regs_of(Arch::x86_64, "ftrace");
    CHECK(field(r, "entry", "flags").status == FieldStatus::stale);
    CHECK(field(r, "entry", "flags").seen ==
          0x5a5a5a5a5a5a5a5aull); // the poisoned stack shows through
    CHECK(field(r, "entry", "cs").status == FieldStatus::faked);
    CHECK(field(r, "entry", "cs").seen == 0);
    CHECK(field(r, "entry", "orig_ax").status == FieldStatus::faked);
    CHECK(field(r, "entry", "di").status == FieldStatus::exact);
    CHECK(field(r, "entry", "dx").status == FieldStatus::exact);
    CHECK(field(r, "entry", "bx").status == FieldStatus::stale);
    CHECK(field(r, "entry", "r12").status == FieldStatus::stale);
    CHECK(field(r, "entry", "sp").status == FieldStatus::derived);
    CHECK(field(r, "entry", "ip").status == FieldStatus::derived); // site + 5
    CHECK(*field(r, "entry", "ip").seen == *field(r, "entry", "ip").expected + 5);
    CHECK(field(r, "entry", "di").write_back == "takes effect");
    CHECK(field(r, "entry", "bx").write_back == "ignored");
}

TEST_CASE(
    "x86_64 full-regs ftrace: every slot written, cs/ss constants, r11 written but not restored") {
    Record r = regs_of(Arch::x86_64, "ftrace-regs");
    CHECK(field(r, "entry", "flags").status == FieldStatus::exact);
    CHECK(field(r, "entry", "cs").status == FieldStatus::faked); // __KERNEL_CS stored, not read
    CHECK(field(r, "entry", "ss").status == FieldStatus::faked);
    CHECK(field(r, "entry", "bx").status == FieldStatus::exact);
    CHECK(field(r, "entry", "r11").status == FieldStatus::exact);
    CHECK(field(r, "entry", "r11").write_back == "ignored");
    CHECK(field(r, "entry", "r10").write_back == "takes effect");
    CHECK(field(r, "entry", "flags").write_back == "takes effect");
    for (const FieldCheck& c : r.regs_check)
        CHECK_MESSAGE(c.status != FieldStatus::stale, c.field);
}

TEST_CASE("arm64 hand-built pt_regs (6.1 ftrace_regs_caller): PSTATE never written, x9 holds the "
          "LR copy") {
    Record r = regs_of(Arch::arm64, "ftrace-regs");
    const FieldCheck& pstate = field(r, "entry", "pstate");
    CHECK(pstate.status == FieldStatus::stale);
    CHECK(pstate.write_back == "ignored");
    CHECK(field(r, "entry", "x9").status == FieldStatus::faked);
    CHECK(field(r, "entry", "x19").status == FieldStatus::exact);
    CHECK(field(r, "entry", "x19").write_back == "ignored"); // saved, never restored
    CHECK(field(r, "entry", "x0").write_back == "takes effect");
    CHECK(field(r, "entry", "orig_x0").status == FieldStatus::stale);
}

TEST_CASE("arm64 ftrace_regs has no PSTATE and no x9-x28 at all") {
    Record r = regs_of(Arch::arm64, "ftrace");
    CHECK(field(r, "entry", "pstate").status == FieldStatus::absent);
    CHECK(field(r, "entry", "x19").status == FieldStatus::absent);
    CHECK(field(r, "entry", "x0").status == FieldStatus::exact);
    CHECK(field(r, "entry", "lr").status == FieldStatus::exact);
    CHECK(field(r, "entry", "fp").status == FieldStatus::exact);
}

TEST_CASE("the true state is non-default: PAN, DIT, SSBS, TCO set on arm64; OF, SF, CF on x86_64") {
    Record a = regs_of(Arch::arm64, "ftrace-regs");
    uint64_t pstate = *field(a, "entry", "pstate").expected;
    CHECK((pstate >> 22 & 1) == 1); // PAN
    CHECK((pstate >> 24 & 1) == 1); // DIT
    CHECK((pstate >> 12 & 1) == 1); // SSBS
    CHECK((pstate >> 25 & 1) == 1); // TCO
    CHECK((pstate & 0xf) == 0x5);   // EL1h
    Record x = regs_of(Arch::x86_64, "ftrace-regs");
    CHECK(*field(x, "entry", "flags").expected == 0xad7);
}

TEST_CASE("arm64 BRK kprobe: PSTATE comes from SPSR, complete, and writes to it take effect") {
    Record r = regs_of(Arch::arm64, "kprobe");
    const FieldCheck& pstate = field(r, "entry", "pstate");
    CHECK(pstate.status == FieldStatus::exact);
    CHECK(pstate.write_back == "takes effect");
}

TEST_CASE("arm64 6.1 kretprobe trampoline builds PSTATE by hand: PAN, DIT, SSBS lost; only NZCV "
          "restored") {
    Record r = regs_of(Arch::arm64, "kretprobe", "6.1");
    const FieldCheck& pstate = field(r, "exit", "pstate");
    CHECK(pstate.status == FieldStatus::partial);
    CHECK(lost(pstate, "PAN"));
    CHECK(lost(pstate, "DIT"));
    CHECK(lost(pstate, "SSBS"));
    CHECK_FALSE(lost(pstate, "N"));
    CHECK_FALSE(lost(pstate, "EL"));
    REQUIRE(pstate.write_back);
    CHECK(pstate.write_back->find("V take effect") != std::string::npos); // NZCV is restored
    CHECK(pstate.write_back->find("PAN") != std::string::npos);           // the rest is not
}
