// Layer 2: linking and the machine. Faults become one clear error: PC, instruction, phase.
#include "helpers.h"
#include "sim/machine.h"
#include "sim/trap.h"

using namespace tracesim;
using tracesim::test::build_program;

namespace {

Expected<void> run_program(const Image& image, uint64_t budget = 1000) {
    auto machine = Machine::create(image);
    if (!machine) return machine.take_error();
    (*machine)->write((*machine)->isa().sp, image.layout.stack_top());
    return (*machine)->run(*image.address_of("driver_entry"), *image.address_of("driver_done"),
                           budget);
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
    auto ok =
        (*machine)->run(*image->address_of("driver_entry"), *image->address_of("driver_done"), 10);
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
    CHECK(undefined.error().message.find("test.S: undefined symbol 'nowhere'") !=
          std::string::npos);
    auto a = assemble(Arch::x86_64, ".globl f\nf:\nphase.body.a:\n ret\n", "a.S");
    auto b = assemble(Arch::x86_64, ".globl f\nf:\nphase.body.b:\n ret\n", "b.S");
    REQUIRE(a);
    REQUIRE(b);
    std::vector<ObjectFile> both{*a, *b};
    auto linked = link(Arch::x86_64, both, {});
    REQUIRE_FALSE(linked);
    CHECK(linked.error().message.find("b.S: symbol 'f' is already defined in a.S") !=
          std::string::npos);
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

TEST_CASE("an x86_64 int3 is delivered like the CPU does and iretq returns natively") {
    auto image = build_program(Arch::x86_64, R"(
    .globl driver_entry
    .globl driver_done
    .globl asm_exc_int3
    .globl after_int3
driver_entry:
phase.caller.t:
    movq %rsp, %r12
    int3
after_int3:
    movq %rsp, %r13
driver_done:
    ud2
asm_exc_int3:
phase.trap_return.t:
    movq 0(%rsp), %rax       # RIP pushed: after the int3
    movq 8(%rsp), %rbx       # CS
    movq 16(%rsp), %rcx      # RFLAGS
    movq 24(%rsp), %rdx      # the interrupted RSP
    movq 32(%rsp), %rsi      # SS
    pushfq
    popq %rdi                # RFLAGS inside the handler: IF cleared
    iretq
)");
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto machine = Machine::create(*image);
    REQUIRE(machine);
    Machine& m = **machine;
    TrapDelivery delivery;
    m.set_trap_handler(&delivery);
    m.write(m.isa().sp, image->layout.stack_top() - 8); // not 16-aligned: the CPU aligns
    m.write(m.isa().flags, 0x246);
    auto ok = m.run(*image->address_of("driver_entry"), *image->address_of("driver_done"), 100);
    REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
    const Isa& isa = m.isa();
    auto reg = [&](const char* name) { return m.read(*isa.reg(name)); };
    CHECK(reg("rax") == *image->address_of("after_int3"));
    CHECK(reg("rbx") == 0x10);
    CHECK(reg("rcx") == 0x246);
    CHECK(reg("rdx") == image->layout.stack_top() - 8);
    CHECK(reg("rsi") == 0x18);
    CHECK((reg("rdi") & 0x200) == 0);
    CHECK(reg("r13") == reg("r12")); // iretq restored RSP
    CHECK(m.read(isa.flags) == 0x246);
}

TEST_CASE("an arm64 brk is delivered through VBAR_EL1 + 0x200 and eret returns natively") {
    auto image = build_program(Arch::arm64, R"(
    .globl driver_entry
    .globl driver_done
    .globl vectors
driver_entry:
phase.caller.t:
    brk #0x4
after_brk:
    nop
driver_done:
    udf #0
    .balign 2048
vectors:
phase.trap.vectors:
    .skip 0x200
el1h_sync:
    mrs x0, elr_el1
    mrs x1, esr_el1
    mrs x2, spsr_el1
    mrs x3, daif
    add x4, x0, #4
    msr elr_el1, x4
    eret
)");
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto machine = Machine::create(*image);
    REQUIRE(machine);
    Machine& m = **machine;
    TrapDelivery delivery;
    m.set_trap_handler(&delivery);
    m.write(m.isa().sp, image->layout.stack_top());
    m.write(m.isa().flags, 0xa0000005);
    auto ok = m.run(*image->address_of("driver_entry"), *image->address_of("driver_done"), 100);
    REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
    auto reg = [&](const char* name) { return m.read(*m.isa().reg(name)); };
    CHECK(reg("x0") == *image->address_of("driver_entry"));
    CHECK(reg("x1") == (0x3cull << 26 | 1 << 25 | 0x4));
    CHECK(reg("x2") == 0xa0000005);
    CHECK(reg("x3") == 0x3c0);                  // DAIF masked inside the handler
    CHECK(m.read(m.isa().flags) == 0xa0000005); // eret restored PSTATE
}
