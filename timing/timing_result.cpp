#include "timing/timing_result.h"

namespace tracesim {

std::string_view name_of(Unpriced reason) {
    switch (reason) {
    case Unpriced::no:
        return "priced";
    case Unpriced::not_decoded:
        return "not decoded";
    case Unpriced::unsupported:
        return "not supported by MCA";
    case Unpriced::unknown_latency:
        return "no latency in the scheduling model";
    case Unpriced::placeholder:
        return "100-cycle placeholder in the scheduling model";
    case Unpriced::system_default:
        return "system instruction priced as a 1-cycle ALU op by LLVM";
    }
    return "?";
}

CycleMetrics& CycleMetrics::operator+=(const CycleMetrics& o) {
    cycles_cold += o.cycles_cold;
    cycles_warm += o.cycles_warm;
    instructions += o.instructions;
    l1d_misses_cold += o.l1d_misses_cold;
    l1d_misses_warm += o.l1d_misses_warm;
    l2_misses_cold += o.l2_misses_cold;
    l2_misses_warm += o.l2_misses_warm;
    mispredicts_cold += o.mispredicts_cold;
    mispredicts_warm += o.mispredicts_warm;
    return_mispredicts_cold += o.return_mispredicts_cold;
    return_mispredicts_warm += o.return_mispredicts_warm;
    traps += o.traps;
    unpriced += o.unpriced;
    return *this;
}

CycleMetrics operator-(const CycleMetrics& a, const CycleMetrics& b) {
    CycleMetrics d = a;
    d.cycles_cold -= b.cycles_cold;
    d.cycles_warm -= b.cycles_warm;
    d.instructions -= b.instructions;
    d.l1d_misses_cold -= b.l1d_misses_cold;
    d.l1d_misses_warm -= b.l1d_misses_warm;
    d.l2_misses_cold -= b.l2_misses_cold;
    d.l2_misses_warm -= b.l2_misses_warm;
    d.mispredicts_cold -= b.mispredicts_cold;
    d.mispredicts_warm -= b.mispredicts_warm;
    d.return_mispredicts_cold -= b.return_mispredicts_cold;
    d.return_mispredicts_warm -= b.return_mispredicts_warm;
    d.traps -= b.traps;
    d.unpriced -= b.unpriced;
    return d;
}

const CycleMetrics* CallTiming::phase(Phase p) const {
    for (const PhaseCycles& pc : phases)
        if (pc.phase == p) return &pc.metrics;
    return nullptr;
}

} // namespace tracesim
