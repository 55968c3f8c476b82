// The counts tracesim measures for a run, a phase or a per-call difference.
#pragma once

#include <cstdint>
#include <string_view>

namespace tracesim {

struct Metrics {
    int64_t instructions = 0;
    int64_t loads = 0;  // memory read accesses (a pop, a ldp = 1 access per register moved)
    int64_t stores = 0; // memory write accesses
    int64_t bytes_loaded = 0;
    int64_t bytes_stored = 0;
    int64_t lines_touched = 0;   // distinct 64-byte data lines read or written
    int64_t max_stack_depth = 0; // bytes below the driver's SP reached by any access

    friend Metrics operator-(const Metrics& a, const Metrics& b) {
        return {a.instructions - b.instructions,
                a.loads - b.loads,
                a.stores - b.stores,
                a.bytes_loaded - b.bytes_loaded,
                a.bytes_stored - b.bytes_stored,
                a.lines_touched - b.lines_touched,
                a.max_stack_depth - b.max_stack_depth};
    }
    friend bool operator==(const Metrics&, const Metrics&) = default;
};

// Field names as they appear in JSON and column headers, in a fixed order.
template <class F> void for_each_metric(const Metrics& m, F&& f) {
    f(std::string_view("instructions"), m.instructions);
    f(std::string_view("loads"), m.loads);
    f(std::string_view("stores"), m.stores);
    f(std::string_view("bytes_loaded"), m.bytes_loaded);
    f(std::string_view("bytes_stored"), m.bytes_stored);
    f(std::string_view("lines_touched"), m.lines_touched);
    f(std::string_view("max_stack_depth"), m.max_stack_depth);
}

} // namespace tracesim
