// The control-flow part of the timing model (MCA has no branch prediction): a return-stack
// buffer, a last-target predictor for indirect branches and a direction predictor for
// conditional branches, fed with the real next PC of every executed branch.
//
// - call (direct or indirect): pushes the fall-through address on the return stack (circular,
//   `depth` entries; an overflow overwrites the oldest entry).
// - return: predicted = top of the return stack (popped). A return whose real target differs -
//   return-address hijacking by fgraph / kretprobe / rethook - or an empty stack mispredicts.
// - indirect jump / call: predicted = the last target seen at that PC with the same global
//   history (an idealised ITTAGE: one shared `blr x9` reaching two handlers in one call is
//   predicted, as on cores with history-based indirect predictors); none yet = mispredict.
// - conditional: predicted = the last outcome seen at that PC with the same global path
//   history (an idealised, alias-free TAGE); unseen = not taken. The history is 64 bits: one
//   per conditional outcome, 4 PC bits per other taken branch. It restarts with every call:
//   for identical calls that is the same as carrying it over, and the steady state is reached
//   after one warm-up call instead of after 64 history bits.
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
    case MispredictKind::none:
        return "none";
    case MispredictKind::ret:
        return "return";
    case MispredictKind::indirect:
        return "indirect";
    case MispredictKind::conditional:
        return "conditional";
    }
    return "?";
}

class BranchModel {
  public:
    explicit BranchModel(uint32_t return_stack_entries);
    // One executed branch: its kind, PC, fall-through address and the PC that executed next.
    MispredictKind execute(BranchKind kind, uint64_t pc, uint64_t fall_through, uint64_t next_pc);
    void begin_call() { history_ = 0; }
    void clear();

  private:
    MispredictKind predict(BranchKind kind, uint64_t pc, uint64_t fall_through, uint64_t next_pc);
    void push(uint64_t address);

    std::vector<uint64_t> stack_;
    uint32_t top_ = 0;   // index of the newest entry
    uint32_t count_ = 0; // valid entries
    struct PcHistory {
        uint64_t pc, history;
        bool operator==(const PcHistory&) const = default;
    };
    struct PcHistoryHash {
        size_t operator()(const PcHistory& k) const {
            return static_cast<size_t>(k.pc * 0x9e3779b97f4a7c15ULL ^
                                       k.history * 0xff51afd7ed558ccdULL);
        }
    };
    std::unordered_map<PcHistory, bool, PcHistoryHash> directions_;           // -> last outcome
    std::unordered_map<PcHistory, uint64_t, PcHistoryHash> indirect_targets_; // -> last target
    uint64_t history_ = 0; // global path history of the call, newest in the low bits
};

} // namespace tracesim
