// Internal to timing/: the LLVM MCA part of the timing model, behind a header with no LLVM in
// it. It knows each distinct executed instruction (pc + bytes) once - decoded, printed, matched
// against the override table, classified as a branch, checked for a price - and runs MCA
// pipelines over sequences of them:
//
//   sequence  [ a b c | S | d e ]        S serializing (override with serializing = true)
//   pipelines  MCA(a b c)   S alone   MCA(d e)   each segment starts on an empty machine, so S
//   cycles     0 ....... 9  10..10+S  ...        waits for older work and younger work for S
//
// Non-serializing overrides stay in the MCA stream with their latency replaced by the
// override's cycles (register dependencies and execution resources kept). Instructions that do
// not decode or that MCA cannot lower are run as a NOP and flagged unpriced; so are those whose
// latency the scheduling model does not know (MCA would silently charge CallLatency).
#pragma once

#include "base/expected.h"
#include "timing/branch_model.h"
#include "timing/core_profile.h"
#include "timing/timing_result.h"
#include "timing/trace.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tracesim {

struct StaticInstruction {
    uint64_t pc = 0;
    uint8_t size = 0;
    std::array<uint8_t, 15> bytes{};
    std::string text;        // LLVM's disassembly, as printed ("" if it did not decode)
    int override_index = -1; // into CoreProfile::overrides
    bool serializing = false;
    Unpriced unpriced = Unpriced::no;
    BranchKind branch = BranchKind::none;
};

// Cycle (0-based, from the start of the sequence) at which each pipeline event happened.
struct StageCycles {
    uint32_t dispatched = 0;
    uint32_t issued = 0;
    uint32_t executed = 0; // execution finished (write-back)
    uint32_t retired = 0;
};

struct BaseTimeline {
    std::vector<StageCycles> stages; // one per instruction of the sequence
    uint32_t cycles = 0;             // the whole sequence, serializing drains included
};

class McaTimeline {
  public:
    static Expected<std::unique_ptr<McaTimeline>> create(const CoreProfile& profile);
    ~McaTimeline();

    // The index of the static instruction `insn` executed (decoded and classified once).
    uint32_t intern(const TraceInstruction& insn);
    const StaticInstruction& at(uint32_t index) const;

    // Runs MCA over `sequence` (static indices, in execution order).
    Expected<BaseTimeline> run(std::span<const uint32_t> sequence);

    uint64_t pipelines_run() const;
    uint64_t instructions_simulated() const;
    uint64_t distinct_instructions() const;

  private:
    struct Impl;
    explicit McaTimeline(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace tracesim
