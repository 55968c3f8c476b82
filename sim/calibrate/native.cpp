#include "sim/calibrate/native.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#if defined(__x86_64__) && defined(__linux__)
#define TRACESIM_NATIVE 1
#include "sim/calibrate/native_run.h"

#include <asm/prctl.h>
#include <cerrno>
#include <cstddef>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace tracesim {

#if TRACESIM_NATIVE

namespace {

// What tracesim_native_run (native_x86_64.S) reads and writes, at native_run.h's offsets.
struct NativeRun {
    uint64_t fn;         // traced_func
    uint64_t stack_top;  // SP before the call (the emulated driver's)
    uint64_t count;      // samples
    uint64_t* samples;   // ticks per sample, or null
    uint64_t a, b, c;    // the arguments
    uint64_t result;     // %rax after the last call
    uint64_t sp_after;   // SP after the last call
    uint64_t per_sample; // calls per sample
};
static_assert(offsetof(NativeRun, fn) == NATIVE_RUN_FN);
static_assert(offsetof(NativeRun, stack_top) == NATIVE_RUN_STACK_TOP);
static_assert(offsetof(NativeRun, count) == NATIVE_RUN_COUNT);
static_assert(offsetof(NativeRun, samples) == NATIVE_RUN_SAMPLES);
static_assert(offsetof(NativeRun, a) == NATIVE_RUN_A);
static_assert(offsetof(NativeRun, b) == NATIVE_RUN_B);
static_assert(offsetof(NativeRun, c) == NATIVE_RUN_C);
static_assert(offsetof(NativeRun, result) == NATIVE_RUN_RESULT);
static_assert(offsetof(NativeRun, sp_after) == NATIVE_RUN_SP_AFTER);
static_assert(offsetof(NativeRun, per_sample) == NATIVE_RUN_PER_SAMPLE);

} // namespace

extern "C" void tracesim_native_run(NativeRun* run);
extern "C" uint64_t tracesim_add_chain(uint64_t iterations);  // 100 dependent adds per iteration
extern "C" uint64_t tracesim_imul_chain(uint64_t iterations); // 50 dependent imuls per iteration

namespace {

std::atomic<bool> image_mapped{false};

double chain_ratio(uint64_t (*chain)(uint64_t), uint64_t cycles_per_iteration,
                   uint64_t chain_length, int repeats) {
    const uint64_t iterations = std::max<uint64_t>(1, chain_length / cycles_per_iteration);
    chain(iterations); // warm-up: page in, let the clock settle
    std::vector<double> ratios;
    for (int i = 0; i < std::max(1, repeats); ++i)
        ratios.push_back(double(chain(iterations)) / double(iterations * cycles_per_iteration));
    std::sort(ratios.begin(), ratios.end());
    return ratios[ratios.size() / 2];
}

} // namespace

bool native_supported() {
    return true;
}

Expected<std::unique_ptr<NativeImage>> NativeImage::map(const Image& image) {
    if (image.arch != Arch::x86_64)
        return make_error("native runs need x86_64 code, not {}", image.arch);
    auto entry = image.address_of("traced_func");
    if (!entry) return make_error("the image has no traced_func");
    const MemoryLayout& l = image.layout;
    if (image.text.size() > l.text_size || image.data.size() > l.data_size)
        return make_error("the image does not fit its layout");
    bool expected = false;
    if (!image_mapped.compare_exchange_strong(expected, true))
        return make_error("another image is already mapped natively in this process");
    std::unique_ptr<NativeImage> n(new NativeImage);
    n->text_base_ = l.text_base;
    n->text_size_ = l.text_size;
    n->data_base_ = l.data_base;
    n->data_size_ = l.data_size;
    n->percpu_base_ = l.percpu_base;
    n->percpu_offset_ = l.percpu_offset;
    n->percpu_size_ = l.percpu_size;
    n->entry_ = *entry;
    n->stack_top_ = l.stack_top();
    const struct {
        const char* name;
        uint64_t base, size;
    } regions[] = {{"text", l.text_base, l.text_size},
                   {"data", l.data_base, l.data_size},
                   {"per-CPU", l.percpu_base, l.percpu_size},
                   {"stack", l.stack_base, l.stack_size}};
    for (const auto& r : regions) {
        void* want = reinterpret_cast<void*>(r.base);
        void* got = mmap(want, r.size, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (got == MAP_FAILED)
            return make_error("cannot map the {} region at {:#x} ({:#x} bytes) natively: {}",
                              r.name, r.base, r.size, std::strerror(errno));
        if (got != want) { // a kernel older than 4.17 treats MAP_FIXED_NOREPLACE as a hint
            munmap(got, r.size);
            return make_error("cannot map the {} region at {:#x}: the kernel placed it at {}",
                              r.name, r.base, got);
        }
        n->regions_.push_back({r.base, r.size});
    }
    std::memcpy(reinterpret_cast<void*>(l.text_base), image.text.data(), image.text.size());
    std::memcpy(reinterpret_cast<void*>(l.data_base), image.data.data(), image.data.size());
    std::memset(reinterpret_cast<void*>(l.stack_base), stack_poison_byte, l.stack_size);
    if (auto task = image.address_of("current_task"))
        std::memcpy(reinterpret_cast<void*>(l.percpu_base), &*task, 8);
    if (mprotect(reinterpret_cast<void*>(l.text_base), l.text_size, PROT_READ | PROT_EXEC) != 0)
        return make_error("mprotect of the text region: {}", std::strerror(errno));
    return n;
}

NativeImage::~NativeImage() {
    if (gs_set_) syscall(SYS_arch_prctl, ARCH_SET_GS, old_gs_);
    for (const Region& r : regions_)
        munmap(reinterpret_cast<void*>(r.base), r.size);
    image_mapped = false;
}

Expected<void> NativeImage::set_site(uint64_t address, std::span<const uint8_t> bytes) {
    if (address < text_base_ || address + bytes.size() > text_base_ + text_size_)
        return make_error("site {:#x} is outside the text", address);
    const uint64_t page = address & ~uint64_t(0xfff);
    const uint64_t end = (address + bytes.size() + 0xfff) & ~uint64_t(0xfff);
    void* p = reinterpret_cast<void*>(page);
    if (mprotect(p, end - page, PROT_READ | PROT_WRITE) != 0)
        return make_error("mprotect of the site's page: {}", std::strerror(errno));
    std::memcpy(reinterpret_cast<void*>(address), bytes.data(), bytes.size());
    // mprotect is a system call: the CPU serializes on it, so the new bytes are what runs next.
    if (mprotect(p, end - page, PROT_READ | PROT_EXEC) != 0)
        return make_error("mprotect of the site's page: {}", std::strerror(errno));
    return {};
}

Expected<void> NativeImage::use_gs_base() {
    if (gs_set_) return {};
    if (syscall(SYS_arch_prctl, ARCH_GET_GS, &old_gs_) != 0)
        return make_error("arch_prctl(ARCH_GET_GS): {}", std::strerror(errno));
    if (syscall(SYS_arch_prctl, ARCH_SET_GS, percpu_offset_) != 0)
        return make_error("arch_prctl(ARCH_SET_GS): {}", std::strerror(errno));
    gs_set_ = true;
    return {};
}

NativeCall NativeImage::call(uint64_t a, uint64_t b, uint64_t c) {
    NativeRun run{entry_, stack_top_, 1, nullptr, a, b, c, 0, 0, 1};
    tracesim_native_run(&run);
    return {run.result, run.sp_after == stack_top_};
}

void NativeImage::time(std::span<uint64_t> samples, uint64_t calls_per_sample, uint64_t a,
                       uint64_t b, uint64_t c) {
    if (samples.empty() || calls_per_sample == 0) return;
    NativeRun run{entry_, stack_top_, samples.size(),  samples.data(), a, b, c,
                  0,      0,          calls_per_sample};
    tracesim_native_run(&run);
}

uint8_t* NativeImage::data_at(uint64_t address) {
    if (address >= data_base_ && address < data_base_ + data_size_)
        return reinterpret_cast<uint8_t*>(address);
    if (address >= percpu_base_ && address < percpu_base_ + percpu_size_)
        return reinterpret_cast<uint8_t*>(address);
    return nullptr;
}

double measure_tsc_per_cycle(uint64_t chain_length, int repeats) {
    return chain_ratio(tracesim_add_chain, 100, chain_length, repeats);
}

double measure_tsc_per_cycle_imul(uint64_t chain_length, int repeats) {
    return chain_ratio(tracesim_imul_chain, 150, chain_length, repeats);
}

#else // not an x86_64 Linux host

bool native_supported() {
    return false;
}
Expected<std::unique_ptr<NativeImage>> NativeImage::map(const Image&) {
    return make_error("native runs need an x86_64 Linux host");
}
NativeImage::~NativeImage() = default;
Expected<void> NativeImage::set_site(uint64_t, std::span<const uint8_t>) {
    return make_error("no native runs");
}
Expected<void> NativeImage::use_gs_base() {
    return make_error("no native runs");
}
NativeCall NativeImage::call(uint64_t, uint64_t, uint64_t) {
    return {};
}
void NativeImage::time(std::span<uint64_t>, uint64_t, uint64_t, uint64_t, uint64_t) {}
uint8_t* NativeImage::data_at(uint64_t) {
    return nullptr;
}
double measure_tsc_per_cycle(uint64_t, int) {
    return 0;
}
double measure_tsc_per_cycle_imul(uint64_t, int) {
    return 0;
}

#endif

} // namespace tracesim
