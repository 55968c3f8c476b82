// x86_64: System V calling convention, struct layouts of Linux v6.14.
#include "isa.h"

#include <unicorn/unicorn.h>

namespace tracesim {

// arch/x86/include/asm/ptrace.h + uapi/asm/ptrace-abi.h (offsets stable since 2.6; 168 bytes).
static std::vector<StructField> pt_regs_fields() {
    return {
        {"r15", 0, 8, "r15"},        {"r14", 8, 8, "r14"},  {"r13", 16, 8, "r13"},
        {"r12", 24, 8, "r12"},       {"bp", 32, 8, "rbp"},  {"bx", 40, 8, "rbx"},
        {"r11", 48, 8, "r11"},       {"r10", 56, 8, "r10"}, {"r9", 64, 8, "r9"},
        {"r8", 72, 8, "r8"},         {"ax", 80, 8, "rax"},  {"cx", 88, 8, "rcx"},
        {"dx", 96, 8, "rdx"},        {"si", 104, 8, "rsi"}, {"di", 112, 8, "rdi"},
        {"orig_ax", 120, 8, ""},     {"ip", 128, 8, "rip"}, {"cs", 136, 8, ""},
        {"flags", 144, 8, "rflags"}, {"sp", 152, 8, "rsp"}, {"ss", 160, 8, ""},
    };
}

const Isa& x86_64_isa() {
    static const Isa isa{
        .arch = Arch::x86_64,
        .llvm_triple = "x86_64-unknown-linux-gnu",
        .llvm_cpu = "x86-64",
        .llvm_features = "",
        .uc_arch = UC_ARCH_X86,
        .uc_mode = UC_MODE_64,
        .uc_cpu_model = UC_CPU_X86_QEMU64,
        .gprs = {{"rax", UC_X86_REG_RAX},
                 {"rbx", UC_X86_REG_RBX},
                 {"rcx", UC_X86_REG_RCX},
                 {"rdx", UC_X86_REG_RDX},
                 {"rsi", UC_X86_REG_RSI},
                 {"rdi", UC_X86_REG_RDI},
                 {"rbp", UC_X86_REG_RBP},
                 {"r8", UC_X86_REG_R8},
                 {"r9", UC_X86_REG_R9},
                 {"r10", UC_X86_REG_R10},
                 {"r11", UC_X86_REG_R11},
                 {"r12", UC_X86_REG_R12},
                 {"r13", UC_X86_REG_R13},
                 {"r14", UC_X86_REG_R14},
                 {"r15", UC_X86_REG_R15}},
        .arg_regs = {"rdi", "rsi", "rdx", "rcx", "r8", "r9"},
        .ret_regs = {"rax", "rdx"},
        .callee_saved = {"rbx", "rbp", "r12", "r13", "r14", "r15"},
        .sp = {"rsp", UC_X86_REG_RSP},
        .pc = {"rip", UC_X86_REG_RIP},
        .flags = {"rflags", UC_X86_REG_RFLAGS},
        .structs =
            {
                {"pt_regs", "PT_", "v6.14 arch/x86/include/asm/ptrace.h", 168, pt_regs_fields()},
                // 6.13+: __arch_ftrace_regs is { struct pt_regs regs; }
                // (include/linux/ftrace_regs.h); ftrace_caller fills only part of it
                // (docs/paths.md).
                {"ftrace_regs", "FREGS_", "v6.14 include/linux/ftrace_regs.h", 168,
                 pt_regs_fields()},
                // 6.5-6.13 return_to_handler block (arch/x86/include/asm/ftrace.h).
                {"fgraph_ret_regs",
                 "FGRET_",
                 "v6.5 arch/x86/include/asm/ftrace.h",
                 24,
                 {{"ax", 0, 8, "rax"}, {"dx", 8, 8, "rdx"}, {"bp", 16, 8, "rbp"}}},
                // What a BPF trampoline hands its program: the u64 argument array it stored on
                // its stack, then (fexit) the return value (arch/x86/net/bpf_jit_comp.c).
                {"bpf_args",
                 "BPF_CTX_",
                 "v6.14 arch/x86/net/bpf_jit_comp.c (arch_prepare_bpf_trampoline)",
                 32,
                 {{"arg0", 0, 8, "rdi", true},
                  {"arg1", 8, 8, "rsi", true},
                  {"arg2", 16, 8, "rdx", true},
                  {"ret", 24, 8, "rax"}}},
            },
        .constants =
            {
                {"KERNEL_CS", 0x10, "__KERNEL_CS: GDT entry 2 (arch/x86/include/asm/segment.h)"},
                {"KERNEL_DS", 0x18, "__KERNEL_DS: GDT entry 3"},
                {"MCOUNT_INSN_SIZE", 5, "size of the call __fentry__ site"},
                {"X86_EFLAGS_FIXED", 0x2, "bit 1 of RFLAGS always reads 1"},
            },
        .nop = {0x90},
        // RFLAGS, Intel SDM vol. 1 section 3.4.3.
        .flag_bits = {{"CF", 0, 1},
                      {"PF", 2, 1},
                      {"AF", 4, 1},
                      {"ZF", 6, 1},
                      {"SF", 7, 1},
                      {"TF", 8, 1},
                      {"IF", 9, 1},
                      {"DF", 10, 1},
                      {"OF", 11, 1},
                      {"IOPL", 12, 2},
                      {"NT", 14, 1},
                      {"RF", 16, 1},
                      {"AC", 18, 1},
                      {"ID", 21, 1}},
        .initial_flags = 0xad7,                  // OF, IF, SF, ZF, AF, PF, CF and the fixed bit
        .poke_flag_mask = 1ull << 0 | 1ull << 7, // carry and sign
        .named_state = {{"cs", UC_X86_REG_CS}, {"ss", UC_X86_REG_SS}},
        .pricing =
            {
                .nop_call_ret = {0x90, 0xe8, 0, 0, 0, 0, 0xc3},
                .placeholder_latencies = true,
                .default_priced_opcodes = {},
                .stack_engine = true,
                .override_wildcards = false,
                .default_core = "znver3",
            },
    };
    return isa;
}

} // namespace tracesim
