// arm64: AAPCS64 calling convention, struct layouts of Linux v6.14.
#include "isa.h"

#include <unicorn/unicorn.h>

namespace tracesim {

static std::vector<StructField> pt_regs_fields() {
    static const char* const names[] = {"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
                                        "x8",  "x9",  "x10", "x11", "x12", "x13", "x14", "x15",
                                        "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
                                        "x24", "x25", "x26", "x27", "x28", "x29", "x30"};
    std::vector<StructField> fields;
    for (uint32_t i = 0; i < 31; ++i)
        fields.push_back({names[i], i * 8, 8, names[i]});
    // arch/arm64/include/asm/ptrace.h, 6.1-6.16 shape: 336 bytes (static_assert multiple of 16).
    fields.insert(fields.end(), {
                                    {"sp", 248, 8, "sp"},
                                    {"pc", 256, 8, "pc"},
                                    {"pstate", 264, 8, "pstate"},
                                    {"orig_x0", 272, 8, ""},
                                    {"syscallno", 280, 4, ""},
                                    {"unused2", 284, 4, ""},
                                    {"sdei_ttbr1", 288, 8, ""},
                                    {"pmr_save", 296, 8, ""},
                                    {"stackframe", 304, 16, ""},
                                    {"lockdep_hardirqs", 320, 8, ""},
                                    {"exit_rcu", 328, 8, ""},
                                });
    return fields;
}

// 6.2+ (DYNAMIC_FTRACE_WITH_ARGS) arch/arm64/include/asm/ftrace.h: 112 bytes.
static std::vector<StructField> ftrace_regs_fields() {
    return {{"x0", 0, 8, "x0"},          {"x1", 8, 8, "x1"},   {"x2", 16, 8, "x2"},
            {"x3", 24, 8, "x3"},         {"x4", 32, 8, "x4"},  {"x5", 40, 8, "x5"},
            {"x6", 48, 8, "x6"},         {"x7", 56, 8, "x7"},  {"x8", 64, 8, "x8"},
            {"direct_tramp", 72, 8, ""}, {"fp", 80, 8, "x29"}, {"lr", 88, 8, "x30"},
            {"sp", 96, 8, "sp"},         {"pc", 104, 8, "pc"}};
}

static std::vector<Register> arm64_gprs() {
    static const char* const names[] = {"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
                                        "x8",  "x9",  "x10", "x11", "x12", "x13", "x14", "x15",
                                        "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
                                        "x24", "x25", "x26", "x27", "x28", "x29", "x30"};
    std::vector<Register> regs;
    for (int i = 0; i < 29; ++i)
        regs.push_back({names[i], UC_ARM64_REG_X0 + i});
    regs.push_back({"x29", UC_ARM64_REG_X29});
    regs.push_back({"x30", UC_ARM64_REG_X30});
    return regs;
}

const Isa& arm64_isa() {
    static const Isa isa{
        .arch = Arch::arm64,
        .llvm_triple = "aarch64-unknown-linux-gnu",
        .llvm_cpu = "generic",
        .llvm_features = "+v8.5a,+bti,+pauth,+mte",
        .uc_arch = UC_ARCH_ARM64,
        .uc_mode = UC_MODE_ARM,
        // The max model implements PAN, UAO, DIT, SSBS, TCO, so PSTATE can
        // carry every bit a real EL1 kernel has.
        .uc_cpu_model = UC_CPU_ARM64_MAX,
        .gprs = arm64_gprs(),
        .arg_regs = {"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"},
        .ret_regs = {"x0"},
        .callee_saved = {"x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
                         "x29"},
        .sp = {"sp", UC_ARM64_REG_SP},
        .pc = {"pc", UC_ARM64_REG_PC},
        .flags = {"pstate", UC_ARM64_REG_PSTATE},
        .structs =
            {
                {"pt_regs", "S_", "v6.14 arch/arm64/include/asm/ptrace.h", 336, pt_regs_fields()},
                {"ftrace_regs", "FREGS_", "v6.14 arch/arm64/include/asm/ftrace.h", 112,
                 ftrace_regs_fields()},
                {"fgraph_ret_regs",
                 "FGRET_",
                 "v6.5 arch/arm64/include/asm/ftrace.h",
                 80,
                 {{"x0", 0, 8, "x0"},
                  {"x1", 8, 8, "x1"},
                  {"x2", 16, 8, "x2"},
                  {"x3", 24, 8, "x3"},
                  {"x4", 32, 8, "x4"},
                  {"x5", 40, 8, "x5"},
                  {"x6", 48, 8, "x6"},
                  {"x7", 56, 8, "x7"},
                  {"fp", 64, 8, "x29"},
                  {"unused", 72, 8, ""}}},
                {"bpf_args",
                 "BPF_CTX_",
                 "v6.14 arch/arm64/net/bpf_jit_comp.c (prepare_trampoline)",
                 32,
                 {{"arg0", 0, 8, "x0", true},
                  {"arg1", 8, 8, "x1", true},
                  {"arg2", 16, 8, "x2", true},
                  {"ret", 24, 8, "x0"}}},
            },
        .constants =
            {
                {"AARCH64_INSN_SIZE", 4, "every A64 instruction is 4 bytes"},
                {"PSR_MODE_EL1H", 0x5, "SPSR.M for EL1 using SP_EL1"},
                {"KPROBES_BRK_IMM", 0x4, "arch/arm64/include/asm/brk-imm.h"},
                {"KPROBES_BRK_SS_IMM", 0x6, "brk-imm.h: end of an out-of-line step"},
                {"KRETPROBES_BRK_IMM", 0x7, "brk-imm.h (6.9+)"},
            },
        .nop = {0x1f, 0x20, 0x03, 0xd5},
        // SPSR/PSTATE, Arm ARM (SPSR_EL1).
        .flag_bits = {{"N", 31, 1},
                      {"Z", 30, 1},
                      {"C", 29, 1},
                      {"V", 28, 1},
                      {"TCO", 25, 1},
                      {"DIT", 24, 1},
                      {"UAO", 23, 1},
                      {"PAN", 22, 1},
                      {"SS", 21, 1},
                      {"IL", 20, 1},
                      {"ALLINT", 13, 1},
                      {"SSBS", 12, 1},
                      {"BTYPE", 10, 2},
                      {"D", 9, 1},
                      {"A", 8, 1},
                      {"I", 7, 1},
                      {"F", 6, 1},
                      {"EL", 2, 2},
                      {"SP", 0, 1}},
        // EL1h: N and C; A and F masked, D and I not; PAN, DIT, SSBS and TCO set (the max CPU
        // model implements them).
        .initial_flags = 0xa3401145,
        // a condition flag, PAN, DIT and SSBS, which a hand-built PSTATE loses
        .poke_flag_mask = 1ull << 28 | 1ull << 22 | 1ull << 24 | 1ull << 12,
        .named_state = {},
        .pricing =
            {
                .nop_call_ret = {0x1f, 0x20, 0x03, 0xd5, 0x02, 0, 0, 0x94, 0xc0, 0x03, 0x5f, 0xd6},
                .placeholder_latencies = false,
                .default_priced_opcodes = {"MRS", "MSR", "SYS", "DSB", "DMB", "ISB", "SVC", "HVC",
                                           "SMC", "ERET", "BRK", "HLT", "DCPS", "WFE", "WFI",
                                           "CLREX", "TLBI"},
                .stack_engine = false,
                .override_wildcards = true,
                .default_core = "neoverse-n1",
            },
    };
    return isa;
}

} // namespace tracesim
