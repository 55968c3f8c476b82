#include "disassembler.h"

#include "llvm_target.h"

#include <stdexcept>

namespace tracesim {

Disassembler::Disassembler(Arch arch) {
    std::string error;
    target_ = LlvmTarget::create(arch, "", error);
    // The isa's own default CPU always exists in the LLVM we link; failing here is a broken
    // install.
    if (!target_) throw std::runtime_error(error);
}

Disassembler::~Disassembler() = default;

std::optional<DecodedInstruction> Disassembler::decode(std::span<const uint8_t> bytes,
                                                       uint64_t address) const {
    llvm::MCInst inst;
    auto whole = target_->decode_whole(bytes.data(), bytes.size(), address, inst);
    if (whole.size == 0) return std::nullopt;
    return DecodedInstruction{static_cast<uint32_t>(whole.size),
                              target_->print_whole(inst, whole, address)};
}

} // namespace tracesim
