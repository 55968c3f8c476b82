// The harness protocol every run of a path follows (kernels/<arch>/harness/): the driver's
// entry and stop labels, the handlers' record of what they saw, and what each call starts from:
// a poisoned stack (so a slot a path never wrote shows up as 0x5a5a... in the register truth),
// handler_seen cleared, and the registers, SP and flags of initial_call_state. The runner, the
// calibrator and the bench all call through it.
#pragma once

#include "sim/call_state.h"
#include "sim/image.h"
#include "sim/machine.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tracesim {

class Harness {
  public:
    // `needs_seen`: the run reads handler_seen back (the bench does not).
    static Expected<Harness> of(const Image& image, const Isa& isa, bool needs_seen = true);

    uint64_t entry() const { return entry_; }                      // driver_entry
    uint64_t done() const { return done_; }                        // driver_done
    std::optional<uint64_t> handler_seen() const { return seen_; } // its 4 words: a, b, c, ret

    // One call: the starting state written, then the driver run to driver_done.
    Expected<void> call(Machine& machine, uint64_t budget) const;

  private:
    uint64_t entry_ = 0, done_ = 0;
    std::optional<uint64_t> seen_;
    CallState state_;
    uint64_t stack_base_ = 0;
    std::vector<uint8_t> poison_;
};

} // namespace tracesim
