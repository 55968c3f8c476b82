// Internal: the LLVM MC objects for one architecture. Include only from the few .cpp files that
// need LLVM (assembler, disassembler, timing): these headers dominate compile time.
#pragma once

#include "arch.h"

#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstPrinter.h"
#include "llvm/MC/MCInstrAnalysis.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>
#include <string>

namespace tracesim {

// Everything LLVM needs for one (arch, cpu): register/instruction info, subtarget, disassembler
// and printer. Not thread-safe: one per thread.
struct LlvmTarget {
    Arch arch;
    llvm::Triple triple;
    std::string cpu;
    const llvm::Target* target = nullptr;
    llvm::MCTargetOptions options;
    std::unique_ptr<llvm::MCRegisterInfo> register_info;
    std::unique_ptr<llvm::MCAsmInfo> asm_info;
    std::unique_ptr<llvm::MCInstrInfo> instr_info;
    std::unique_ptr<llvm::MCSubtargetInfo> subtarget;
    std::unique_ptr<llvm::MCInstrAnalysis> instr_analysis;
    std::unique_ptr<llvm::MCContext> disasm_context;
    std::unique_ptr<llvm::MCDisassembler> disassembler;
    std::unique_ptr<llvm::MCInstPrinter> printer;

    // cpu empty: the isa's default. Returns nullptr (and sets `error`) for an unknown target/CPU.
    static std::unique_ptr<LlvmTarget> create(Arch arch, const std::string& cpu,
                                              std::string& error);

    // Size of the decoded instruction, 0 when the bytes do not decode.
    uint64_t decode(const uint8_t* bytes, size_t available, uint64_t address,
                    llvm::MCInst& out) const;
    // What the CPU runs as one instruction. LLVM's x86 disassembler returns a `lock` or `rep`
    // prefix as an instruction of its own (LOCK_PREFIX, 1 byte); here it is joined to the
    // instruction it prefixes: `out` is that instruction, `prefix_size` the prefix bytes.
    struct Whole {
        uint64_t size = 0;        // 0: does not decode
        uint64_t prefix_size = 0; // `out` starts at address + prefix_size
        std::string prefix_text;  // "lock " or empty
    };
    Whole decode_whole(const uint8_t* bytes, size_t available, uint64_t address,
                       llvm::MCInst& out) const;
    // The text of a decode_whole result: prefix + instruction.
    std::string print_whole(const llvm::MCInst& inst, const Whole& whole, uint64_t address) const;
    // `size`: the instruction's length, so branch targets print as absolute addresses.
    std::string print(const llvm::MCInst& inst, uint64_t address, uint64_t size) const;
};

} // namespace tracesim
