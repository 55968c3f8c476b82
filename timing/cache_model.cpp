#include "timing/cache_model.h"

#include <algorithm>

namespace tracesim {

SetAssociativeCache::SetAssociativeCache(uint64_t size_bytes, uint32_t ways, uint32_t line_bytes)
    : sets_(
          static_cast<uint32_t>(std::max<uint64_t>(1, size_bytes / (uint64_t(ways) * line_bytes)))),
      ways_(ways), tags_(size_t(sets_) * ways_, 0), stamps_(size_t(sets_) * ways_, 0) {}

bool SetAssociativeCache::access(uint64_t line) {
    size_t base = size_t(line % sets_) * ways_;
    ++clock_;
    size_t victim = base;
    for (size_t way = base; way < base + ways_; ++way) {
        if (tags_[way] == line + 1) {
            stamps_[way] = clock_;
            return true;
        }
        if (stamps_[way] < stamps_[victim]) victim = way; // empty ways have stamp 0: used first
    }
    tags_[victim] = line + 1;
    stamps_[victim] = clock_;
    return false;
}

void SetAssociativeCache::clear() {
    std::fill(tags_.begin(), tags_.end(), 0);
    std::fill(stamps_.begin(), stamps_.end(), 0);
    clock_ = 0;
}

DataCacheModel::DataCacheModel(const CoreProfile& p)
    : line_bytes_(static_cast<uint32_t>(p.l1d.line_bytes.value)),
      l1_(uint64_t(p.l1d.size_kib.value) * 1024, static_cast<uint32_t>(p.l1d.ways.value),
          line_bytes_),
      l2_(uint64_t(p.l2.size_kib.value) * 1024, static_cast<uint32_t>(p.l2.ways.value),
          line_bytes_),
      l2_penalty_(std::max<int64_t>(0, p.l2.latency.value - p.load_latency_l1.value)),
      memory_penalty_(std::max<int64_t>(0, p.memory_latency.value - p.load_latency_l1.value)) {}

CacheOutcome DataCacheModel::access(uint64_t address) {
    uint64_t line = address / line_bytes_;
    if (l1_.access(line)) return CacheOutcome::l1_hit;
    return l2_.access(line) ? CacheOutcome::l2_hit : CacheOutcome::l2_miss;
}

int64_t DataCacheModel::penalty(CacheOutcome outcome) const {
    switch (outcome) {
    case CacheOutcome::l1_hit:
        return 0;
    case CacheOutcome::l2_hit:
        return l2_penalty_;
    case CacheOutcome::l2_miss:
        return memory_penalty_;
    }
    return 0;
}

void DataCacheModel::clear() {
    l1_.clear();
    l2_.clear();
}

} // namespace tracesim
