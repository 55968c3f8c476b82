// arm64 paths entered by BRK exceptions (kprobe, kprobe-body, kretprobe, trig-kprobe,
// trig-kretprobe) on an image's own EL1 exception entry: the simulator's trap delivery jumps to
// `vectors` + 0x200 (current EL with SP_ELx, synchronous), which the importer points at the
// kernel's; its kernel_ventry, el1h_64_sync (kernel_entry 1), ret_to_kernel (kernel_exit 1) and
// eret run as shipped, and el1h_64_sync's `bl el1h_64_sync_handler` (C: el1_dbg ->
// do_debug_exception -> brk_handler -> the break hook) is rewritten to reach the harness's model
// of it (kernels/arm64/paths/entry_el1.S + kprobes.S). A kretprobe's return trampoline is the
// kernel's too (a mechanism of `trap_mechanisms` below): the hand-built pt_regs of <= 6.8 around
// its C callee, or 6.9+'s `brk #KRETPROBES_BRK_IMM`, whose exception takes the same entry.
//
// One adaptation, as entry_el1.S makes it: kernel_ventry's VMAP_STACK overflow check tests bit
// THREAD_SHIFT (14: 16 KiB stacks aligned to 32 KiB) of the new SP; the harness's stack is 32
// KiB (sim/layout.h), whose top half has bit 14 set, so the check's bit is set to the stack's
// (15). docs/real-kernel.md.
#include "sim/vmlinux/arm64_insn.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace tracesim::vmlinux_detail {

namespace {

constexpr uint64_t el1h_sync_slot = 0x200, slot_size = 0x80;
constexpr uint64_t unknown_size_scan = 0x100; // how far entry code without a symbol size is scanned
constexpr uint32_t ldp_x0_x1_sp = 0xa94007e0; // kernel_exit's first restore
constexpr uint32_t eret = 0xd69f03e0;
constexpr uint32_t add_x29_sp_s_x29 =
    0x9103a3fd; // add x29, sp, #S_X29: the frame before the C call

// The form of a return trampoline the path runs.
enum class Form {
    none,         // the path runs no kernel code but the entry
    regs_by_hand, // <= 6.8 __kretprobe_trampoline: a pt_regs built by software, a bl to C
    brk, // 6.9+ __kretprobe_trampoline: brk #KRETPROBES_BRK_IMM (the entry builds the pt_regs)
};

// The BRK mechanisms (a path's vmlinux.runs), each entered through the BRK entry above.
// `kernel_code`: a further kernel trampoline the path runs, of `form`; the harness's references to
// its model (the adrp + add of the address pre_handler_kretprobe writes into x30) are rewritten to
// reach the kernel's. `c_callee`: the C function it calls, the call rewritten to reach the
// harness's model of the same name. The C functions the path's models stand for (Debian's 6.12.117
// has kprobe_brk_handler / kretprobe_brk_handler, 6.1 the *_breakpoint_handler names) are the
// catalogue's `stands_for`; whether the era simulates the entry NOP, its `simulates_nop`.
struct TrapMechanism {
    std::string_view name;
    std::string_view kernel_code{};
    Form form = Form::none;
    std::string_view c_callee{};
};
constexpr TrapMechanism trap_mechanisms[] = {
    {"brk"}, // the entry kprobe alone
    {"brk_kretprobe_by_hand", "__kretprobe_trampoline", Form::regs_by_hand,
     "trampoline_probe_handler"},
    {"brk_kretprobe_brk", "__kretprobe_trampoline", Form::brk},
};

const TrapMechanism* mechanism_of(std::string_view name) {
    for (const TrapMechanism& m : trap_mechanisms)
        if (m.name == name) return &m;
    return nullptr;
}

std::string_view form_name(Form form) {
    return form == Form::brk
               ? "a `brk #KRETPROBES_BRK_IMM` (6.9+)"
               : "a pt_regs built by hand around a call to trampoline_probe_handler (<= 6.8)";
}

// The form of the image's `name`: a brk at its entry, else a bl to trampoline_probe_handler in it.
Form form_of(const Vmlinux& kernel, std::string_view name) {
    auto s = kernel.symbols.find(name);
    if (s == kernel.symbols.end()) return Form::none;
    auto first = word_at(kernel, s->second.address);
    if (first && (*first & 0xffe0001fu) == 0xd4200000u) return Form::brk;
    auto callee = kernel.address_of("trampoline_probe_handler");
    if (callee &&
        find_call(kernel, s->second.address, end_of(s->second, unknown_size_scan), *callee))
        return Form::regs_by_hand;
    return Form::none;
}

// The kernel's return trampoline of `row` (if any) stands for the model's: the harness's
// references to the model's (adrp + add) reach it, and its call of the C callee reaches the
// harness's model of that.
Expected<void> attach_return_trampoline(const Vmlinux& kernel, const PathSpec& path,
                                        const TrapMechanism& row, const KernelSymbol& k,
                                        Image& image) {
    const std::string name(row.kernel_code);
    auto model = image.address_of(name);
    if (!model)
        return make_error("the arm64 harness of path '{}' has no model of {}", path.name, name);
    if (arm64_retarget(image.text, image.layout.text_base, image.layout.text_base,
                       image.layout.text_base + image.text.size(), *model, k.address) == 0)
        return make_error("path '{}': nothing in the harness refers to {}", path.name, name);
    image.define_symbol(name, k.address, kernel.file.filename().string());
    if (row.c_callee.empty()) return {};
    auto stub = image.address_of(row.c_callee);
    if (!stub)
        return make_error("the arm64 harness of path '{}' has no model of {}", path.name,
                          row.c_callee);
    auto callee = need(kernel, path, row.c_callee);
    if (!callee) return callee.take_error();
    ForeignRegion* r = image.foreign_at(k.address);
    if (!r || arm64_retarget(r->bytes, r->base, k.address, end_of(k, unknown_size_scan), *callee,
                             *stub) != 1)
        return make_error("{}: {} does not call {}, which path '{}' replaces by its model",
                          kernel.file.string(), name, row.c_callee, path.name);
    return {};
}

// Phases of the return trampoline on an image without tracesim's labels, as kretprobe_v6_1.S
// and kretprobe_brk.S label the models: the brk is hijack (its exception is the entry's);
// the hand-built pt_regs is save, the frame pointer, argument and call dispatch, the C callee's
// result into x30 hijack, the rest restore.
void set_return_trampoline_phases(const TrapMechanism& row, const KernelSymbol& k, Image& image) {
    if (row.form == Form::brk) {
        image.set_foreign_phase(k.address, Phase::hijack);
        image.set_foreign_phase(k.address + 4, std::nullopt);
        return;
    }
    const uint64_t end = end_of(k, unknown_size_scan);
    auto stub = image.address_of(row.c_callee);
    image.set_foreign_phase(k.address, Phase::save);
    if (auto call = stub ? find_call(image, k.address, end, *stub) : std::nullopt) {
        uint64_t dispatch = *call;
        if (const uint32_t* w = word_at(image, dispatch - 4); w && *w == arm64_mov_x0_sp)
            dispatch -= 4;
        if (const uint32_t* w = word_at(image, dispatch - 4); w && *w == add_x29_sp_s_x29)
            dispatch -= 4;
        image.set_foreign_phase(dispatch, Phase::dispatch);
        image.set_foreign_phase(*call + 4, Phase::hijack);
        image.set_foreign_phase(*call + 8, Phase::restore);
    }
    image.set_foreign_phase(end, std::nullopt);
}

// Does the era's way of running the entry NOP match the image's (BRK-returning eras only)? It
// picks the era; a mismatch is not a reason to refuse: the NOP's handling is our C model, not the
// image's code, on both sides.
bool nop_matches(const Vmlinux& kernel, const TrapMechanism& m, const PathSpec& era) {
    return m.form != Form::brk || era.vmlinux.simulates_nop == kernel.has("simulate_nop");
}

} // namespace

bool arm64_trap_mechanism(std::string_view mechanism) {
    return mechanism_of(mechanism) != nullptr;
}

std::string arm64_trap_era(const Vmlinux& kernel, const Catalogue& catalogue,
                           std::string_view path) {
    const Form form = form_of(kernel, "__kretprobe_trampoline");
    for (const PathSpec& era : catalogue.paths) {
        const TrapMechanism* m =
            era.name == path && era.arch == Arch::arm64 ? mechanism_of(era.vmlinux.runs) : nullptr;
        if (m && !m->kernel_code.empty() && m->form == form && nop_matches(kernel, *m, era))
            return era.kernel;
    }
    return "";
}

std::string arm64_trap_unsupported_reason(const Vmlinux& kernel, const Catalogue& catalogue,
                                          const PathSpec& path) {
    const TrapMechanism* t = mechanism_of(path.vmlinux.runs);
    for (std::string_view name :
         {"vectors", "el1h_64_sync", "el1h_64_sync_handler", "ret_to_kernel"})
        if (!kernel.has(name))
            return fmt::format("path '{}' needs {}, which the kernel lacks", path.name, name);
    if (!t->kernel_code.empty() && !kernel.has(t->kernel_code))
        return fmt::format("path '{}' needs {}, which the kernel lacks", path.name, t->kernel_code);
    if (!t->c_callee.empty() && !kernel.has(t->c_callee))
        return fmt::format("path '{}' needs {}, which the kernel lacks", path.name, t->c_callee);
    if (const Form form = form_of(kernel, t->kernel_code);
        !t->kernel_code.empty() && form != t->form) {
        std::string fits;
        for (const PathSpec& other : catalogue.paths)
            if (const TrapMechanism* m = other.name == path.name && other.arch == path.arch
                                             ? mechanism_of(other.vmlinux.runs)
                                             : nullptr;
                m && m->form == form)
                fits = fmt::format(": use --kernel {}", other.kernel);
        if (form == Form::none)
            return fmt::format(
                "path '{}': the image's {} is neither form the importer knows ({} / {})", path.name,
                t->kernel_code, form_name(Form::brk), form_name(Form::regs_by_hand));
        return fmt::format("path '{}' (era {}) runs {} as {}; this image's is {}{}", path.name,
                           path.kernel, t->kernel_code, form_name(t->form), form_name(form),
                           fits.empty() ? ", which no modeled era of the path has" : fits);
    }
    if (std::string lacks = missing_stand_in(kernel, path); !lacks.empty())
        return fmt::format("path '{}' needs {}, which the kernel lacks (built without the option "
                           "that provides it: CONFIG_KPROBES, CONFIG_KPROBE_EVENTS)",
                           path.name, lacks);
    return "";
}

Expected<void> attach_arm64_trap(const Vmlinux& kernel, const PathSpec& path, Image& image) {
    const std::string file = kernel.file.filename().string();
    if (auto ok = map_kernel(kernel, image); !ok) return ok;
    const TrapMechanism* row = mechanism_of(path.vmlinux.runs); // known: the caller checked
    auto vectors = need(kernel, path, "vectors");
    auto handler = need(kernel, path, "el1h_64_sync_handler");
    auto sync = need_symbol(kernel, path, "el1h_64_sync");
    auto exit = need_symbol(kernel, path, "ret_to_kernel");
    if (!vectors) return vectors.take_error();
    if (!handler) return handler.take_error();
    if (!sync) return sync.take_error();
    if (!exit) return exit.take_error();
    image.define_symbol("vectors", *vectors, file);
    image.define_symbol("el1h_64_sync", sync->address, file); // names for traces and fault messages
    image.define_symbol("ret_to_kernel", exit->address, file);
    std::optional<KernelSymbol> trampoline;
    if (!row->kernel_code.empty()) {
        auto k = need_symbol(kernel, path, row->kernel_code);
        if (!k) return k.take_error();
        trampoline = *k;
        if (auto ok = attach_return_trampoline(kernel, path, *row, *k, image); !ok) return ok;
    }

    // el1h_64_sync's call of the C handler reaches the harness's model.
    auto model = image.address_of("el1h_64_sync_handler");
    if (!model)
        return make_error("the arm64 harness of path '{}' has no model of el1h_64_sync_handler",
                          path.name);
    const uint64_t sync_end = end_of(*sync, unknown_size_scan);
    auto call = find_call(image, sync->address, sync_end, *handler); // bl el1h_64_sync_handler
    if (!call)
        return make_error("{}: el1h_64_sync does not call el1h_64_sync_handler, which path '{}' "
                          "replaces by its model",
                          kernel.file.string(), path.name);
    ForeignRegion* r = image.foreign_at(*call);
    if (!r || arm64_retarget(r->bytes, r->base, *call, *call + 4, *handler, *model) != 1)
        return make_error(
            "the harness's el1h_64_sync_handler is out of bl range of {}'s el1h_64_sync", file);

    // kernel_ventry's overflow check: `tbnz w0/x0, #THREAD_SHIFT` on the new SP, to the stack's
    // size.
    const uint64_t slot = *vectors + el1h_sync_slot;
    const uint32_t stack_bit = static_cast<uint32_t>(std::countr_zero(image.layout.stack_size));
    auto is_tbnz_x0 = [](uint64_t, uint32_t w) { return (w & 0x7f00001fu) == 0x37000000u; };
    if (auto tbnz = find_word_if(image, slot, slot + slot_size, is_tbnz_x0)) {
        uint32_t& w = *word_at(image, *tbnz);
        const uint32_t bit = (w >> 31) << 5 | ((w >> 19) & 31);
        if (bit < stack_bit)
            w = (w & 0x7f07ffffu) | (stack_bit >> 5) << 31 | (stack_bit & 31) << 19;
    }

    // Phases: tracesim's labels in an image built from kernels/arm64/*.S; else as entry_el1.S
    // labels its model: save from the vector slot and in el1h_64_sync, dispatch from the `mov x0,
    // sp` before the C call through its `b ret_to_kernel`, trap-return in ret_to_kernel up to its
    // first `ldp x0, x1, [sp]`, restore up to the `add sp, sp, #S_SIZE`, trap-return to the eret.
    if (apply_phase_labels(kernel, image)) return {};
    if (trampoline) set_return_trampoline_phases(*row, *trampoline, image);
    image.set_foreign_phase(slot, Phase::save);
    if (sync->address < slot || sync->address >= slot + slot_size)
        image.set_foreign_phase(slot + slot_size, std::nullopt);
    image.set_foreign_phase(sync->address, Phase::save);
    const uint32_t* before = word_at(image, *call - 4);
    image.set_foreign_phase(before && *before == arm64_mov_x0_sp ? *call - 4 : *call,
                            Phase::dispatch);
    if (sync->size) image.set_foreign_phase(sync_end, std::nullopt);
    const uint64_t exit_end = end_of(*exit, unknown_size_scan);
    image.set_foreign_phase(exit->address, Phase::trap_return);
    auto restore = find_word(image, exit->address, exit_end, ldp_x0_x1_sp);
    auto ret = find_word(image, exit->address, exit_end, eret);
    if (restore && ret) {
        image.set_foreign_phase(*restore, Phase::restore);
        // add sp, sp, #imm: the frame popped, what follows prepares the eret
        auto is_add_sp = [](uint64_t, uint32_t w) { return (w & 0xffc003ffu) == 0x910003ffu; };
        if (auto pop = find_word_if(image, *restore, *ret, is_add_sp))
            image.set_foreign_phase(*pop + 4, Phase::trap_return);
        image.set_foreign_phase(*ret + 4, std::nullopt);
    }
    return {};
}

} // namespace tracesim::vmlinux_detail
