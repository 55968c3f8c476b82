// The control-flow part of the timing model (MCA has no branch prediction): a return-stack
// buffer, a last-target predictor for indirect branches and a direction predictor for
// conditional branches, fed with the real next PC of every executed branch.
//
// - call (direct or indirect): pushes the fall-through address on the return stack (circular,
//   `depth` entries; an overflow overwrites the oldest entry).
// - return: predicted = top of the return stack (popped). A return whose real target differs -
//   return-address hijacking by fgraph / kretprobe / rethook - or an empty stack mispredicts.
// - indirect jump / call: predicted = the last target seen at that PC; none yet = mispredict.
// - conditional: predicted = the last outcome seen at that PC with the same global history of
//   the last 16 conditional outcomes (an idealised, alias-free TAGE); unseen = not taken.
// - direct jumps and calls are always predicted (their redirect is in pipeline.call_latency).
// - exception returns (iretq, eret) are not predicted by these cores: their override carries
//   the redirect, so they neither pop the return stack nor count as mispredicts here.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tracesim {

enum class BranchKind : uint8_t {
    none,
    jump,          // direct unconditional
    conditional,   // direct conditional
    call,          // direct call
    indirect_jump, // jmpq *, br
    indirect_call, // callq *, blr
    ret,           // ret
    exception_return,
};

enum class MispredictKind : uint8_t { none, ret, indirect, conditional };

constexpr std::string_view name_of(MispredictKind kind) {
    switch (kind) {
    case MispredictKind::none: return "none";
    case MispredictKind::ret: return "return";
    case MispredictKind::indirect: return "indirect";
    case MispredictKind::conditional: return "conditional";
    }
    return "?";
}

class BranchModel {
  public:
    explicit BranchModel(uint32_t return_stack_entries);
    // One executed branch: its kind, PC, fall-through address and the PC that executed next.
    MispredictKind execute(BranchKind kind, uint64_t pc, uint64_t fall_through, uint64_t next_pc);
    void clear();

  private:
    void push(uint64_t address);

    std::vector<uint64_t> stack_;
    uint32_t top_ = 0;   // index of the newest entry
    uint32_t count_ = 0; // valid entries
    std::unordered_map<uint64_t, uint64_t> indirect_targets_; // pc -> last target
    std::unordered_map<uint64_t, bool> directions_;           // (pc, history) -> last outcome
    uint64_t history_ = 0;
};

} // namespace tracesim
