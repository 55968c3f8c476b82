// One description per architecture: how LLVM and Unicorn name it, its calling convention, its
// registers, and the kernel structures a tracing handler is given (pt_regs, ftrace_regs, ...).
//
// The struct layouts are also handed to the assembly as symbols (the role the kernel's
// asm-offsets.h plays): field `di` of `pt_regs` with asm prefix "PT_" becomes `PT_DI`, the size
// `PT_SIZE`. See asm_offsets() and docs/kernels.md.
#pragma once

#include "arch.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

struct Register {
    std::string_view name; // lower case, as LLVM prints it ("rax", "x0", "sp")
    int uc_id;             // Unicorn register id
};

struct StructField {
    std::string_view name; // as the kernel names it: "di", "orig_ax", "x0", "pstate"
    uint32_t offset;
    uint32_t size;
    std::string_view mirrors; // the architectural register it should hold ("rdi"), or "" if none
    bool at_entry = false;    // holds the register's value at function entry even in an exit
                              // struct (a BPF ctx keeps the call's arguments for fexit)
};

struct StructLayout {
    std::string_view name;       // "pt_regs", "ftrace_regs", ...
    std::string_view asm_prefix; // "PT_" -> PT_DI, PT_SIZE
    std::string_view kernel;     // the kernel version and header the layout follows
    uint32_t size;
    std::vector<StructField> fields;

    const StructField* field(std::string_view name) const;
};

// A named field of the flags register (RFLAGS, PSTATE), as the architecture manual names it.
struct FlagBit {
    std::string_view name;
    int low;
    int width;

    uint64_t of(uint64_t value) const { return (value >> low) & ((1ull << width) - 1); }
};

// What the timing model must know of an architecture beyond LLVM's scheduling models
// (timing/ reads these; docs/timing.md and docs/cores.md say why each exists).
struct PricingTraits {
    // A NOP, a call and a return, encoded: lowered once so MCA's first-use warnings stay quiet,
    // and the NOP stands in for instructions LLVM cannot price.
    std::vector<uint8_t> nop_call_ret;
    // LLVM's x86 models mark microcoded instructions with a placeholder latency of 100.
    bool placeholder_latencies = false;
    // LLVM opcode name prefixes whose scheduling entries are only the model's default
    // (arm64 system instructions: MRS, MSR, ERET, ...).
    std::vector<std::string_view> default_priced_opcodes;
    // push, pop, call and ret update the stack pointer in the front end (x86 stack engine).
    bool stack_engine = false;
    // `*` in a core profile's override pattern is a wildcard; on x86 it is AT&T's indirect mark.
    bool override_wildcards = false;
    std::string_view default_core; // the core profile used when none is named
};

struct AsmConstant {
    std::string_view name;
    uint64_t value;
    std::string_view why;
};

struct Isa {
    Arch arch;
    std::string_view llvm_triple;
    std::string_view llvm_cpu;      // CPU the assembler targets (timing picks its own per core)
    std::string_view llvm_features; // e.g. "+bti,+pauth" so hint/PAC instructions assemble
    int uc_arch;
    int uc_mode;
    int uc_cpu_model;

    std::vector<Register> gprs;             // every general-purpose register, fixed order
    std::vector<std::string_view> arg_regs; // integer arguments, in order
    std::vector<std::string_view> ret_regs; // return value registers
    std::vector<std::string_view> callee_saved;
    Register sp;
    Register pc;
    Register flags; // rflags / pstate
    std::vector<StructLayout> structs;
    std::vector<AsmConstant> constants;
    std::vector<uint8_t> nop; // one NOP encoding, used to pad patched sites

    // Register truth beyond the GPRs: the flags register's bits, the flags a call starts with
    // (non-default, so a path that loses or fakes them shows it), the bits a handler's poke
    // flips (harmless to execution, each a different kind of state), and the registers a
    // struct field holds by its own name (x86 cs, ss).
    std::vector<FlagBit> flag_bits;
    uint64_t initial_flags = 0;
    uint64_t poke_flag_mask = 0;
    std::vector<Register> named_state;

    PricingTraits pricing;

    const Register* reg(std::string_view name) const;
    const StructLayout* layout(std::string_view name) const;
    // `.set NAME, value` lines for every struct field, struct size and constant.
    std::string asm_offsets() const;
};

const Isa& isa_for(Arch arch);

} // namespace tracesim
