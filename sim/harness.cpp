#include "sim/harness.h"

#include "isa/isa.h"
#include "sim/layout.h"

namespace tracesim {

Expected<Harness> Harness::of(const Image& image, const Isa& isa, bool needs_seen) {
    auto entry = image.address_of("driver_entry");
    auto done = image.address_of("driver_done");
    auto seen = image.address_of("handler_seen");
    if (!entry || !done || (needs_seen && !seen))
        return make_error(
            "the {} common kernels must define driver_entry, driver_done and handler_seen",
            image.arch);
    Harness h;
    h.entry_ = *entry;
    h.done_ = *done;
    if (needs_seen) h.seen_ = *seen;
    h.state_ = initial_call_state(isa, image.layout);
    h.stack_base_ = image.layout.stack_base;
    h.poison_.assign(image.layout.stack_size, stack_poison_byte);
    return h;
}

Expected<void> Harness::call(Machine& m, uint64_t budget) const {
    if (auto ok = m.write_memory(stack_base_, poison_); !ok) return ok;
    if (seen_) {
        static const std::vector<uint8_t> zeros(4 * sizeof(uint64_t), 0);
        if (auto ok = m.write_memory(*seen_, zeros); !ok) return ok;
    }
    const Isa& isa = m.isa();
    for (const auto& [reg, value] : state_.registers)
        m.write(*reg, value);
    m.write(isa.sp, state_.sp);
    m.write(isa.flags, state_.flags);
    return m.run(entry_, done_, budget);
}

} // namespace tracesim
