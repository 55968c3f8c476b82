// Layer 2: linking and the machine. Faults become one clear error: PC, instruction, phase.
#include "helpers.h"
#include "sim/machine.h"

using namespace tracesim;
using tracesim::test::build_program;

namespace {

Expected<void> run_program(const Image& image, uint64_t budget = 1000) {
    auto machine = Machine::create(image);
    if (!machine) return machine.take_error();
    (*machine)->write((*machine)->isa().sp, image.layout.stack_top());
    return (*machine)->run(*image.address_of("driver_entry"), *image.address_of("driver_done"), budget);
}

} // namespace

TEST_CASE("a run stops at the stop address") {
    auto image = build_program(Arch::x86_64, R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    movq $1, %rax
driver_done:
    ud2
)");
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto machine = Machine::create(*image);
    REQUIRE(machine);
    auto ok = (*machine)->run(*image->address_of("driver_entry"), *image->address_of("driver_done"), 10);
    REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
    CHECK((*machine)->read(*(*machine)->isa().reg("rax")) == 1);
    CHECK((*machine)->instructions_executed() == 1);
}

TEST_CASE("a runaway loop hits the instruction budget with a clear error") {
    auto image = build_program(Arch::arm64, R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    b driver_entry
driver_done:
    udf #0
)");
    REQUIRE(image);
    auto ok = run_program(*image, 500);
    REQUIRE_FALSE(ok);
    const std::string& m = ok.error().message;
    INFO(m);
    CHECK(m.find("instruction budget of 500 exhausted") != std::string::npos);
    CHECK(m.find("(b 0x") != std::string::npos); // the instruction, disassembled
    CHECK(m.find("phase caller") != std::string::npos);
}

TEST_CASE("a read of unmapped memory names the PC, the instruction and the phase") {
    auto image = build_program(Arch::x86_64, R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    call fn
driver_done:
    ud2
fn:
phase.save.fn:
    xorl %eax, %eax
    movq 0x10(%rax), %rdi
    ret
)");
    REQUIRE(image);
    auto ok = run_program(*image);
    REQUIRE_FALSE(ok);
    const std::string& m = ok.error().message;
    INFO(m);
    CHECK(m.find("read of unmapped memory at 0x10") != std::string::npos);
    CHECK(m.find("movq 0x10(%rax), %rdi") != std::string::npos);
    CHECK(m.find("fn+0x2 in test.S, phase save") != std::string::npos);
}

TEST_CASE("a trap on a path that models none is an error, not a hang") {
    auto image = build_program(Arch::arm64, R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    brk #0x4
driver_done:
    udf #0
)");
    REQUIRE(image);
    auto ok = run_program(*image);
    REQUIRE_FALSE(ok);
    CHECK(ok.error().message.find("unexpected trap") != std::string::npos);
    CHECK(ok.error().message.find("brk #0x4") != std::string::npos);
}

TEST_CASE("code must sit inside a phase, and phases must exist") {
    auto unmarked = build_program(Arch::x86_64, ".globl driver_entry\ndriver_entry:\n    ret\n");
    REQUIRE_FALSE(unmarked);
    CHECK(unmarked.error().message.find("does not start with a phase label") != std::string::npos);
    auto misspelt = build_program(Arch::x86_64, "phase.svae.x:\n    ret\n");
    REQUIRE_FALSE(misspelt);
    CHECK(misspelt.error().message.find("'phase.svae.x' names no phase") != std::string::npos);
}

TEST_CASE("undefined symbols and duplicate globals are link errors") {
    auto undefined = build_program(Arch::x86_64, "phase.body.x:\n    call nowhere\n");
    REQUIRE_FALSE(undefined);
    CHECK(undefined.error().message.find("test.S: undefined symbol 'nowhere'") != std::string::npos);
    auto a = assemble(Arch::x86_64, ".globl f\nf:\nphase.body.a:\n ret\n", "a.S");
    auto b = assemble(Arch::x86_64, ".globl f\nf:\nphase.body.b:\n ret\n", "b.S");
    REQUIRE(a);
    REQUIRE(b);
    std::vector<ObjectFile> both{*a, *b};
    auto linked = link(Arch::x86_64, both, {});
    REQUIRE_FALSE(linked);
    CHECK(linked.error().message.find("b.S: symbol 'f' is already defined in a.S") != std::string::npos);
}

TEST_CASE("a site patch is assembled in place and changes only its own bytes") {
    auto image = build_program(Arch::x86_64, R"(
    .globl target
target:
phase.site.t:
    .byte 0x0f, 0x1f, 0x44, 0x00, 0x00
phase.body.t:
    ret
)");
    REQUIRE(image);
    auto site = image->phase_range("phase.site.t");
    REQUIRE(site);
    CHECK(site->second - site->first == 5);
    REQUIRE(image->patch(site->first, 5, "call target", "patch"));
    const uint8_t* code = image->text.data() + (site->first - image->layout.text_base);
    CHECK(code[0] == 0xe8);
    CHECK(int32_t(code[1] | code[2] << 8 | code[3] << 16 | code[4] << 24) == -5);
    auto too_big = image->patch(site->first, 5, "movabsq $1, %rax", "big patch");
    REQUIRE_FALSE(too_big);
    CHECK(too_big.error().message.find("10 bytes do not fit the 5-byte site") != std::string::npos);
    REQUIRE(image->patch(site->first, 5, ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00", "restore"));
    REQUIRE(image->patch(site->first, 5, "int3", "kprobe"));
    CHECK(code[0] == 0xcc);
    CHECK(code[1] == 0x1f); // the rest of the NOP stays, as after the kernel's text_poke
}
