// The data-cache part of the timing model (MCA prices every load at its model's L1 latency):
// a set-associative, LRU, write-allocate L1D and L2 over the real addresses the emulator saw.
// Instruction fetch, prefetchers, the L3 as a cache and coherence are not modeled: an L2 miss
// costs the profile's [memory].latency (the LLC hit, docs/cores.md).
#pragma once

#include "timing/core_profile.h"

#include <cstdint>
#include <vector>

namespace tracesim {

class SetAssociativeCache {
  public:
    SetAssociativeCache(uint64_t size_bytes, uint32_t ways, uint32_t line_bytes);
    // Looks `line` (address / line size) up; true on a hit. A miss fills the line, evicting the
    // least recently used way of its set.
    bool access(uint64_t line);
    void clear();

  private:
    uint32_t sets_;
    uint32_t ways_;
    std::vector<uint64_t> tags_;   // sets * ways; line + 1, 0 = empty
    std::vector<uint64_t> stamps_; // last use, for LRU
    uint64_t clock_ = 0;
};

enum class CacheOutcome : uint8_t { l1_hit, l2_hit, l2_miss };

class DataCacheModel {
  public:
    explicit DataCacheModel(const CoreProfile& profile);
    uint32_t line_bytes() const { return line_bytes_; }
    // Where the line holding `address` was found (it is in L1 and L2 afterwards).
    CacheOutcome access(uint64_t address);
    // Extra cycles a load waits for that outcome: level latency minus the L1 latency MCA used.
    int64_t penalty(CacheOutcome outcome) const;
    void clear();

  private:
    uint32_t line_bytes_;
    SetAssociativeCache l1_;
    SetAssociativeCache l2_;
    int64_t l2_penalty_;
    int64_t memory_penalty_;
};

} // namespace tracesim
