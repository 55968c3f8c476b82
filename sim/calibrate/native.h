// Runs a linked x86_64 image natively, in the calling process (calibrate: a sandboxed child,
// sim/calibrate/sandbox.h): its text, data and per-CPU
// regions are mapped at exactly the addresses the image was linked for (MAP_FIXED_NOREPLACE; text
// read+execute, data read+write), the emulated stack region is mapped too and the calls run on
// it, from the same stack pointer the emulated driver starts with, so every address the code
// touches is the emulator's. Only on an x86_64 Linux host; one NativeImage per process at a time.
//
//   auto native = NativeImage::map(image);            // the untraced image (site NOPs)
//   native->set_site(site_address, traced_bytes);     // patch the site as ftrace does
//   NativeCall c = native->call(3);                   // functional: result, sp balance
//   native->time(samples, 100, a, b, c);              // TSC ticks per 100 calls, per sample
#pragma once

#include "base/expected.h"
#include "sim/image.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace tracesim {

// True when this build can run x86_64 code natively (x86_64 Linux host).
bool native_supported();

struct NativeCall {
    uint64_t result = 0;
    bool stack_balanced = false; // SP after the call equals SP before it
};

class NativeImage {
  public:
    // Maps the image; fails (naming the region) when an address range is already in use.
    static Expected<std::unique_ptr<NativeImage>> map(const Image& image);
    ~NativeImage();
    NativeImage(const NativeImage&) = delete;
    NativeImage& operator=(const NativeImage&) = delete;

    // Rewrites text bytes at `address` (text made writable, then read+execute again).
    Expected<void> set_site(uint64_t address, std::span<const uint8_t> bytes);
    // Sets the GS base to the layout's per-CPU offset for the calls, as the emulator does
    // (restored when the image goes).
    Expected<void> use_gs_base();

    // One call of traced_func(a, b, c) on the image's stack.
    NativeCall call(uint64_t a, uint64_t b, uint64_t c);
    // Fills each sample with the TSC ticks of `calls_per_sample` calls, each call between two
    // lfences (so each starts on a drained pipeline, as the model's call does).
    void time(std::span<uint64_t> samples, uint64_t calls_per_sample, uint64_t a, uint64_t b,
              uint64_t c);

    uint8_t* data_at(uint64_t address); // a pointer into the mapped data or per-CPU region

  private:
    NativeImage() = default;
    struct Region {
        uint64_t base = 0, size = 0;
    };
    std::vector<Region> regions_;
    uint64_t text_base_ = 0, text_size_ = 0;
    uint64_t data_base_ = 0, data_size_ = 0, percpu_base_ = 0, percpu_size_ = 0, percpu_offset_ = 0;
    uint64_t entry_ = 0, stack_top_ = 0;
    bool gs_set_ = false;
    uint64_t old_gs_ = 0;
};

// TSC ticks per core cycle, measured with a chain of `chain_length` dependent 1-cycle adds
// (`add $1, %rax` repeated: its latency is 1 cycle on every x86 core since the P6), timed with
// rdtsc. Median of `repeats` measurements. 0 when native runs are unsupported.
double measure_tsc_per_cycle(uint64_t chain_length = 200'000, int repeats = 11);
// The same with a chain of dependent 64-bit imuls (3-cycle latency on Zen 2-4 and on Intel
// since Nehalem): a cross-check of the add chain.
double measure_tsc_per_cycle_imul(uint64_t chain_length = 100'000, int repeats = 11);

} // namespace tracesim
