// Where things live in the emulated address space. Code, data, per-CPU data and the stack each
// get pages of their own (writing data onto a code page makes Unicorn retranslate).
#pragma once

#include <cstdint>

namespace tracesim {

struct MemoryLayout {
    uint64_t text_base = 0x400000;
    uint64_t text_size = 0x40000;
    uint64_t data_base = 0x600000;
    uint64_t data_size = 0x20000;
    uint64_t percpu_base = 0x700000; // per-CPU area: the GDT; sp_el0 without a current_task
    uint64_t percpu_size = 0x10000;
    // CPU 0's per-CPU offset (x86_64's %gs base, arm64's tpidr_el1): 0, so the models' per-CPU
    // variables are CPU 0's copies at their link addresses in the data region, as x86_64
    // addresses them since 6.15.
    uint64_t percpu_offset = 0;
    uint64_t stack_base = 0x800000; // lowest stack address
    uint64_t stack_size = 0x8000;   // 32 KiB; kernel task stacks are 16 KiB
    // The driver starts with SP here (16-byte aligned, with room above for the hardware frame).
    uint64_t stack_top() const { return stack_base + stack_size - 0x100; }
};

// Filled into the whole stack before every call, so a struct slot nobody wrote is visible.
inline constexpr uint8_t stack_poison_byte = 0x5a;

} // namespace tracesim
