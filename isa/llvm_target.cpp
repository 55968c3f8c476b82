#include "llvm_target.h"

#include "isa.h"

#include "llvm/Support/raw_ostream.h"

#include <mutex>

// Only the two targets we use, so a static-component build would not drag in every target.
extern "C" {
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmParser();
void LLVMInitializeX86Disassembler();
void LLVMInitializeX86TargetMCA();
void LLVMInitializeAArch64TargetInfo();
void LLVMInitializeAArch64TargetMC();
void LLVMInitializeAArch64AsmParser();
void LLVMInitializeAArch64Disassembler();
}

namespace tracesim {

static void initialize_targets_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        LLVMInitializeX86TargetInfo();
        LLVMInitializeX86TargetMC();
        LLVMInitializeX86AsmParser();
        LLVMInitializeX86Disassembler();
        LLVMInitializeX86TargetMCA();
        LLVMInitializeAArch64TargetInfo();
        LLVMInitializeAArch64TargetMC();
        LLVMInitializeAArch64AsmParser();
        LLVMInitializeAArch64Disassembler();
    });
}

std::unique_ptr<LlvmTarget> LlvmTarget::create(Arch arch, const std::string& cpu,
                                               std::string& error) {
    initialize_targets_once();
    const Isa& isa = isa_for(arch);
    auto t = std::make_unique<LlvmTarget>();
    t->arch = arch;
    t->triple = llvm::Triple(std::string(isa.llvm_triple));
    t->cpu = cpu.empty() ? std::string(isa.llvm_cpu) : cpu;
    const std::string& name = t->triple.getTriple();
    t->target = llvm::TargetRegistry::lookupTarget(name, error);
    if (!t->target) return nullptr;
    t->register_info.reset(t->target->createMCRegInfo(name));
    t->asm_info.reset(t->target->createMCAsmInfo(*t->register_info, name, t->options));
    t->instr_info.reset(t->target->createMCInstrInfo());
    t->subtarget.reset(
        t->target->createMCSubtargetInfo(name, t->cpu, std::string(isa.llvm_features)));
    if (!t->register_info || !t->asm_info || !t->instr_info || !t->subtarget) {
        error = "LLVM could not create the MC layer for " + name;
        return nullptr;
    }
    // An unknown CPU only warns inside LLVM and falls back to a generic model: refuse instead.
    if (!t->subtarget->isCPUStringValid(t->cpu)) {
        error = "LLVM does not know the CPU '" + t->cpu + "' for " + name;
        return nullptr;
    }
    t->instr_analysis.reset(t->target->createMCInstrAnalysis(t->instr_info.get()));
    t->disasm_context = std::make_unique<llvm::MCContext>(
        t->triple, t->asm_info.get(), t->register_info.get(), t->subtarget.get());
    t->disassembler.reset(t->target->createMCDisassembler(*t->subtarget, *t->disasm_context));
    t->printer.reset(t->target->createMCInstPrinter(t->triple, /*SyntaxVariant=*/0, *t->asm_info,
                                                    *t->instr_info, *t->register_info));
    if (t->printer) { // kernel style: offsets in hex, branch targets as addresses
        t->printer->setPrintImmHex(true);
        t->printer->setPrintBranchImmAsAddress(true);
    }
    if (!t->disassembler || !t->printer) {
        error = "LLVM has no disassembler for " + name;
        return nullptr;
    }
    return t;
}

uint64_t LlvmTarget::decode(const uint8_t* bytes, size_t available, uint64_t address,
                            llvm::MCInst& out) const {
    uint64_t size = 0;
    auto status = disassembler->getInstruction(out, size, llvm::ArrayRef<uint8_t>(bytes, available),
                                               address, llvm::nulls());
    return status == llvm::MCDisassembler::Success ? size : 0;
}

LlvmTarget::Whole LlvmTarget::decode_whole(const uint8_t* bytes, size_t available, uint64_t address,
                                           llvm::MCInst& out) const {
    Whole whole;
    whole.size = decode(bytes, available, address, out);
    // Each prefix LLVM returned alone (`lock`, `rep`, ...) is joined to what follows it.
    while (arch == Arch::x86_64 && whole.size != 0 && whole.prefix_size + whole.size < available &&
           instr_info->getName(out.getOpcode()).ends_with("_PREFIX")) {
        whole.prefix_text += print(out, address + whole.prefix_size, whole.size) + " ";
        whole.prefix_size += whole.size;
        whole.size = decode(bytes + whole.prefix_size, available - whole.prefix_size,
                            address + whole.prefix_size, out);
    }
    if (whole.size != 0) whole.size += whole.prefix_size;
    return whole;
}

std::string LlvmTarget::print_whole(const llvm::MCInst& inst, const Whole& whole,
                                    uint64_t address) const {
    return whole.prefix_text +
           print(inst, address + whole.prefix_size, whole.size - whole.prefix_size);
}

std::string LlvmTarget::print(const llvm::MCInst& inst, uint64_t address, uint64_t size) const {
    std::string text;
    llvm::raw_string_ostream os(text);
    // x86's printer adds a branch's displacement to the address it is given, which must then be
    // the next instruction's (as llvm-objdump passes it); AArch64's counts from the branch itself.
    printer->printInst(&inst, arch == Arch::x86_64 ? address + size : address, "", *subtarget, os);
    os.flush();
    // The printer indents with a tab and separates operands with one: normalise to spaces.
    std::string out;
    for (char c : text)
        out += c == '\t' ? ' ' : c;
    size_t first = out.find_first_not_of(' ');
    return first == std::string::npos ? std::string() : out.substr(first);
}

} // namespace tracesim
