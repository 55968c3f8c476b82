// Layer 1: the architecture descriptions match the kernel's struct layouts.
#include "isa/isa.h"

#include <doctest/doctest.h>

using namespace tracesim;

namespace {

void check_layout_is_consistent(const StructLayout& s) {
    uint32_t end = 0;
    for (const StructField& f : s.fields) {
        CHECK_MESSAGE(f.offset >= end, s.name, ".", f.name, " overlaps the field before it");
        end = f.offset + f.size;
    }
    CHECK_MESSAGE(end == s.size, s.name, " fields end at ", end, ", size is ", s.size);
}

} // namespace

TEST_CASE("x86_64 pt_regs is the kernel's 168-byte layout") {
    const StructLayout* regs = isa_for(Arch::x86_64).layout("pt_regs");
    REQUIRE(regs);
    CHECK(regs->size == 168);
    CHECK(regs->field("r15")->offset == 0);
    CHECK(regs->field("di")->offset == 112);
    CHECK(regs->field("orig_ax")->offset == 120);
    CHECK(regs->field("ip")->offset == 128);
    CHECK(regs->field("flags")->offset == 144);
    CHECK(regs->field("ss")->offset == 160);
    CHECK(regs->field("di")->mirrors == "rdi");
    check_layout_is_consistent(*regs);
    // 6.13+: ftrace_regs wraps a pt_regs on x86_64
    CHECK(isa_for(Arch::x86_64).layout("ftrace_regs")->size == 168);
}

TEST_CASE("arm64 pt_regs is 336 bytes and ftrace_regs 112") {
    const Isa& isa = isa_for(Arch::arm64);
    const StructLayout* regs = isa.layout("pt_regs");
    REQUIRE(regs);
    CHECK(regs->size == 336);
    CHECK(regs->field("x30")->offset == 240);
    CHECK(regs->field("sp")->offset == 248);
    CHECK(regs->field("pc")->offset == 256);
    CHECK(regs->field("pstate")->offset == 264);
    check_layout_is_consistent(*regs);
    const StructLayout* fregs = isa.layout("ftrace_regs");
    REQUIRE(fregs);
    CHECK(fregs->size == 112);
    CHECK(fregs->field("fp")->offset == 80);
    CHECK(fregs->field("pc")->offset == 104);
    CHECK(fregs->field("pstate") == nullptr); // ftrace_regs has no PSTATE at all
    check_layout_is_consistent(*fregs);
}

TEST_CASE("struct offsets reach the assembly as symbols") {
    std::string x86 = isa_for(Arch::x86_64).asm_offsets();
    CHECK(x86.find(".set PT_DI, 112\n") != std::string::npos);
    CHECK(x86.find(".set PT_SIZE, 168\n") != std::string::npos);
    CHECK(x86.find(".set KERNEL_CS, 0x10\n") != std::string::npos);
    std::string a64 = isa_for(Arch::arm64).asm_offsets();
    CHECK(a64.find(".set S_PSTATE, 264\n") != std::string::npos);
    CHECK(a64.find(".set FREGS_SIZE, 112\n") != std::string::npos);
}

TEST_CASE("calling conventions and register names") {
    const Isa& x86 = isa_for(Arch::x86_64);
    CHECK(x86.arg_regs[0] == "rdi");
    CHECK(x86.arg_regs[3] == "rcx");
    CHECK(x86.reg("r15") != nullptr);
    CHECK(x86.reg("rip") == &x86.pc);
    CHECK(x86.reg("x0") == nullptr);
    const Isa& a64 = isa_for(Arch::arm64);
    CHECK(a64.gprs.size() == 31);
    CHECK(a64.reg("x29") != nullptr);
    CHECK(a64.callee_saved.back() == "x29");
    CHECK(parse_arch("aarch64") == Arch::arm64);
    CHECK_FALSE(parse_arch("riscv64"));
}
