// arm64 BRK kprobes (`kprobe`, `kprobe-body`) on an image's own EL1 exception entry: the
// simulator's trap delivery jumps to `vectors` + 0x200 (current EL with SP_ELx, synchronous),
// which the importer points at the kernel's; its kernel_ventry, el1h_64_sync (kernel_entry 1),
// ret_to_kernel (kernel_exit 1) and eret run as shipped, and el1h_64_sync's `bl
// el1h_64_sync_handler` (C: el1_dbg -> do_debug_exception -> brk_handler -> the break hook) is
// rewritten to reach the harness's model of it (kernels/arm64/entry_el1.S + kprobes.S).
//
// One adaptation, as entry_el1.S makes it: kernel_ventry's VMAP_STACK overflow check tests bit
// THREAD_SHIFT (14: 16 KiB stacks aligned to 32 KiB) of the new SP; the harness's stack is 32
// KiB (sim/layout.h), whose top half has bit 14 set, so the check's bit is set to the stack's
// (15). docs/real-kernel.md.
#include "sim/vmlinux/attach.h"

#include <bit>
#include <cstring>

namespace tracesim::vmlinux_detail {

namespace {

constexpr uint64_t el1h_sync_slot = 0x200, slot_size = 0x80;
constexpr uint32_t mov_x0_sp = 0x910003e0;   // the pt_regs argument
constexpr uint32_t ldp_x0_x1_sp = 0xa94007e0; // kernel_exit's first restore
constexpr uint32_t eret = 0xd69f03e0;

uint32_t* word(Image& image, uint64_t pc) {
    ForeignRegion* r = image.foreign_at(pc);
    return r && r->contains(pc + 3) ? reinterpret_cast<uint32_t*>(r->bytes.data() + (pc - r->base)) : nullptr;
}

// The first pc in [begin, end) whose word `match(pc, word)` accepts.
template <class Match> std::optional<uint64_t> find(Image& image, uint64_t begin, uint64_t end, Match match) {
    for (uint64_t pc = begin; pc + 4 <= end; pc += 4) {
        const uint32_t* w = word(image, pc);
        if (!w) return std::nullopt;
        if (match(pc, *w)) return pc;
    }
    return std::nullopt;
}

uint64_t end_of(const KernelSymbol& s, uint64_t unknown) { return s.address + (s.size ? s.size : unknown); }

} // namespace

bool arm64_trap_path(const PathSpec& path) { return path.name == "kprobe" || path.name == "kprobe-body"; }

std::string arm64_trap_unsupported_reason(const Vmlinux& kernel, const PathSpec& path) {
    for (std::string_view name : {"vectors", "el1h_64_sync", "el1h_64_sync_handler", "ret_to_kernel"})
        if (!kernel.has(name))
            return fmt::format("path '{}' needs {}, which the kernel lacks", path.name, name);
    if (!kernel.has("kprobe_breakpoint_handler") && !kernel.has("kprobe_brk_handler"))
        return fmt::format("path '{}' needs kprobe_breakpoint_handler (or 6.10+'s kprobe_brk_handler), which the "
                           "kernel lacks (built without CONFIG_KPROBES)", path.name);
    return "";
}

Expected<void> attach_arm64_trap(const Vmlinux& kernel, const PathSpec& path, Image& image) {
    const std::string file = kernel.file.filename().string();
    if (auto ok = map_kernel(kernel, image); !ok) return ok;
    const uint64_t vectors = *kernel.address_of("vectors");
    const KernelSymbol& sync = kernel.symbols.find("el1h_64_sync")->second;
    const KernelSymbol& exit = kernel.symbols.find("ret_to_kernel")->second;
    image.define_symbol("vectors", vectors, file);
    image.define_symbol("el1h_64_sync", sync.address, file); // names for traces and fault messages
    image.define_symbol("ret_to_kernel", exit.address, file);

    // el1h_64_sync's call of the C handler reaches the harness's model.
    auto model = image.address_of("el1h_64_sync_handler");
    if (!model) return make_error("the arm64 harness of path '{}' has no model of el1h_64_sync_handler", path.name);
    const uint64_t handler = *kernel.address_of("el1h_64_sync_handler");
    const uint64_t sync_end = end_of(sync, 0x100);
    auto call = find(image, sync.address, sync_end, [&](uint64_t pc, uint32_t w) {
        const int64_t imm = static_cast<int64_t>(static_cast<uint64_t>(w & 0x03ffffffu) << 38) >> 36;
        return (w & 0xfc000000u) == 0x94000000u && pc + imm == handler; // bl el1h_64_sync_handler
    });
    if (!call)
        return make_error("{}: el1h_64_sync does not call el1h_64_sync_handler, which path '{}' replaces by its model",
                          kernel.file.string(), path.name);
    const int64_t distance = static_cast<int64_t>(*model - *call) / 4;
    if (distance < -(1 << 25) || distance >= (1 << 25))
        return make_error("the harness's el1h_64_sync_handler is out of bl range of {}'s el1h_64_sync", file);
    *word(image, *call) = 0x94000000u | (static_cast<uint32_t>(distance) & 0x03ffffffu);

    // kernel_ventry's overflow check: `tbnz w0/x0, #THREAD_SHIFT` on the new SP, to the stack's size.
    const uint64_t slot = vectors + el1h_sync_slot;
    const uint32_t stack_bit = static_cast<uint32_t>(std::countr_zero(image.layout.stack_size));
    auto is_tbnz_x0 = [](uint64_t, uint32_t w) { return (w & 0x7f00001fu) == 0x37000000u; };
    if (auto tbnz = find(image, slot, slot + slot_size, is_tbnz_x0)) {
        uint32_t& w = *word(image, *tbnz);
        const uint32_t bit = (w >> 31) << 5 | ((w >> 19) & 31);
        if (bit < stack_bit) w = (w & 0x7f07ffffu) | (stack_bit >> 5) << 31 | (stack_bit & 31) << 19;
    }

    // Phases: tracesim's labels in an image built from kernels/arm64/*.S; else as entry_el1.S
    // labels its model: save from the vector slot and in el1h_64_sync, dispatch from the `mov x0,
    // sp` before the C call through its `b ret_to_kernel`, trap-return in ret_to_kernel up to its
    // first `ldp x0, x1, [sp]`, restore up to the `add sp, sp, #S_SIZE`, trap-return to the eret.
    if (!kernel.phase_labels.empty()) {
        for (const auto& [name, address] : kernel.phase_labels) image.set_foreign_phase(address, phase_of_label(name));
        for (const ForeignRegion& r : kernel.regions) image.set_foreign_phase(r.base + r.bytes.size(), std::nullopt);
        return {};
    }
    image.set_foreign_phase(slot, Phase::save);
    if (sync.address < slot || sync.address >= slot + slot_size)
        image.set_foreign_phase(slot + slot_size, std::nullopt);
    image.set_foreign_phase(sync.address, Phase::save);
    const uint32_t* before = word(image, *call - 4);
    image.set_foreign_phase(before && *before == mov_x0_sp ? *call - 4 : *call, Phase::dispatch);
    if (sync.size) image.set_foreign_phase(sync_end, std::nullopt);
    const uint64_t exit_end = end_of(exit, 0x100);
    image.set_foreign_phase(exit.address, Phase::trap_return);
    auto restore = find(image, exit.address, exit_end, [](uint64_t, uint32_t w) { return w == ldp_x0_x1_sp; });
    auto ret = find(image, exit.address, exit_end, [](uint64_t, uint32_t w) { return w == eret; });
    if (restore && ret) {
        image.set_foreign_phase(*restore, Phase::restore);
        // add sp, sp, #imm: the frame popped, what follows prepares the eret
        auto is_add_sp = [](uint64_t, uint32_t w) { return (w & 0xffc003ffu) == 0x910003ffu; };
        if (auto pop = find(image, *restore, *ret, is_add_sp))
            image.set_foreign_phase(*pop + 4, Phase::trap_return);
        image.set_foreign_phase(*ret + 4, std::nullopt);
    }
    return {};
}

} // namespace tracesim::vmlinux_detail
