// Decodes machine code back to text, for error messages and trace views
// ("PC 0x401005: movq %rax, 0x50(%rsp)").
#pragma once

#include "arch.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace tracesim {

struct LlvmTarget;

struct DecodedInstruction {
    uint32_t size;
    std::string text;
};

class Disassembler {
  public:
    explicit Disassembler(Arch arch);
    ~Disassembler();
    Disassembler(const Disassembler&) = delete;
    Disassembler& operator=(const Disassembler&) = delete;

    std::optional<DecodedInstruction> decode(std::span<const uint8_t> bytes,
                                             uint64_t address) const;

  private:
    std::unique_ptr<LlvmTarget> target_;
};

} // namespace tracesim
