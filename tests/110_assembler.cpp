// Layer 1: LLVM MC assembles our sources; errors name file:line:col.
#include "isa/assembler.h"
#include "isa/disassembler.h"

#include <doctest/doctest.h>

using namespace tracesim;

namespace {

const ObjectSymbol* find_symbol(const ObjectFile& o, std::string_view name) {
    for (const ObjectSymbol& s : o.symbols)
        if (s.name == name) return &s;
    return nullptr;
}

} // namespace

TEST_CASE("x86_64 source assembles to code, symbols and relocations") {
    auto o = assemble(Arch::x86_64, R"(
    .text
    .globl start
start:
    movq %rdi, PT_DI(%rsp)
    call elsewhere
    ret
)",
                      "snippet.S");
    REQUIRE_MESSAGE(o, (o ? "" : o.error().message));
    REQUIRE(o->sections.size() >= 1);
    const ObjectSymbol* start = find_symbol(*o, "start");
    REQUIRE(start);
    CHECK(start->global);
    CHECK(start->offset == 0);
    // movq %rdi, 0x70(%rsp) = 48 89 7c 24 70; call rel32 = e8 + 4; ret = c3
    const std::vector<uint8_t>& code = o->sections[start->section].bytes;
    REQUIRE(code.size() == 11);
    CHECK(std::vector<uint8_t>(code.begin(), code.begin() + 5) ==
          std::vector<uint8_t>{0x48, 0x89, 0x7c, 0x24, 0x70});
    REQUIRE(o->relocations.size() == 1);
    CHECK(o->relocations[0].symbol == "elsewhere");
    CHECK(o->relocations[0].symbol_section == -1);
    CHECK(o->relocations[0].offset == 6);
}

TEST_CASE("arm64 source sees the arm64 struct offsets") {
    auto o = assemble(Arch::arm64, "start:\n    ldr x0, [x3, #S_PSTATE]\n    bti c\n", "a.S");
    REQUIRE_MESSAGE(o, (o ? "" : o.error().message));
    Disassembler d(Arch::arm64);
    auto decoded = d.decode(o->sections[0].bytes, 0);
    REQUIRE(decoded);
    CHECK(decoded->text == "ldr x0, [x3, #0x108]"); // S_PSTATE = 264
}

TEST_CASE("a bad source yields file:line:col and LLVM's message") {
    auto o = assemble(Arch::x86_64, "    nop\n    movz %rax, %rbx\n", "kernels/x86_64/bad.S");
    REQUIRE_FALSE(o);
    CHECK(o.error().message.find(
              "kernels/x86_64/bad.S:2:5: error: invalid instruction mnemonic 'movz'") !=
          std::string::npos);
    auto a = assemble(Arch::arm64, "\n\n    ldr x0, [x1, #FREGS_NOPE]\n", "kernels/arm64/bad.S");
    REQUIRE_FALSE(a);
    CHECK(a.error().message.find("kernels/arm64/bad.S:3:") != std::string::npos);
}

TEST_CASE("the disassembler prints what the assembler took") {
    auto o = assemble(Arch::x86_64, "pushfq\nmovq %rax, 0x50(%rsp)\n", "d.S");
    REQUIRE(o);
    Disassembler d(Arch::x86_64);
    auto first = d.decode(o->sections[0].bytes, 0x1000);
    REQUIRE(first);
    CHECK(first->text == "pushfq");
    CHECK(first->size == 1);
    auto second = d.decode(std::span(o->sections[0].bytes).subspan(1), 0x1001);
    REQUIRE(second);
    CHECK(second->text == "movq %rax, 0x50(%rsp)");
    CHECK_FALSE(d.decode(std::vector<uint8_t>{0x0f}, 0)); // truncated
}
