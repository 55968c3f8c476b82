// In-process assembler: .S text -> relocatable object (sections, symbols, relocations), by LLVM MC.
//
// The isa's asm_offsets() (struct offsets and constants) are defined before the source, so
// `movq %rdi, PT_DI(%rsp)` assembles; diagnostics keep the source's own line numbers:
//
//   kernels/x86_64/paths/ftrace_caller.S:12:5: error: invalid instruction mnemonic 'movz'
//       movz %rax, %rbx
//       ^
//
// No C preprocessor runs: sources use GNU as directives (.macro, .rept, .if) only, and
// `.include "name"` for macros shared between files (searched next to the including file).
#pragma once

#include "arch.h"
#include "base/expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

struct ObjectSection {
    std::string name;
    std::vector<uint8_t> bytes; // zero-filled for .bss
    uint64_t align = 1;
    bool code = false;
    bool writable = false;
};

struct ObjectSymbol {
    std::string name;
    int section; // index into ObjectFile::sections
    uint64_t offset;
    bool global;
};

struct ObjectRelocation {
    int section; // the section patched
    uint64_t offset;
    uint32_t type; // ELF R_X86_64_* / R_AARCH64_*
    std::string symbol;
    int symbol_section; // -1: undefined here, resolved by name at link time
    uint64_t symbol_offset;
    int64_t addend;
};

struct ObjectFile {
    std::string file;
    std::string warnings; // the assembler's warnings (file:line: warning: ...), "" for none
    std::vector<ObjectSection> sections;
    std::vector<ObjectSymbol> symbols;
    std::vector<ObjectRelocation> relocations;
};

// Assembles `source`; `file_name` names it in diagnostics.
// `include_dirs`: where `.include` looks after the source's own folder.
Expected<ObjectFile> assemble(Arch arch, std::string_view source, std::string_view file_name,
                              const std::vector<std::string>& include_dirs = {});

} // namespace tracesim
