// x86_64 paths entered by exceptions or detours on an image's own code: the int3 kprobes' #BP
// entry (asm_exc_int3 -> error_entry, exc_int3, error_return, restore_regs_and_return_to_kernel,
// iretq) around the harness's model of exc_int3, and optprobe's detour buffer copied from the
// image's optprobe_template. x86.cpp's table says which path runs which (entered_by_trap,
// copied_template); docs/real-kernel.md.
#include "sim/vmlinux/attach.h"

#include <algorithm>
#include <cstring>

namespace tracesim::vmlinux_detail {

// A path whose kernel code is an exception entry (the x86 table's entered_by_trap): the trap
// delivery reaches the kernel's entry (defined as `entry_name` by the caller), whose call of the C
// handler `callee` is rewritten to reach the harness's model of it. Phases without tracesim's own
// labels, as kprobe_int3.S labels its model: save from the entry and in error_entry, dispatch from
// the `movq %rsp, %rdi` passing the regs to the C handler through the `jmp error_return` after it,
// trap-return in error_return, restore in restore_regs_and_return_to_kernel up to its `addq $8,
// %rsp` (orig_ax), trap-return from there through iretq (native_irq_return_iret). The return half
// is found by those symbols (local ones: the image's symbol table or System.map); an image without
// them counts it as trap-return.
Expected<void> attach_x86_trap_entry(const Vmlinux& kernel, const PathSpec& path,
                                     std::string_view entry_name, const KernelSymbol& entry,
                                     std::string_view callee, Image& image) {
    auto model = image.address_of(callee);
    if (!model)
        return make_error("the {} harness of path '{}' has no model of {}", path.arch, path.name,
                          callee);
    auto kernel_callee = need(kernel, path, callee);
    if (!kernel_callee) return kernel_callee.take_error();
    ForeignRegion* r = image.foreign_at(entry.address);
    // a symbol without a size is scanned 0x100 bytes, never past its region
    const uint64_t end =
        r ? std::min(end_of(entry, 0x100), r->base + r->bytes.size()) : entry.address;
    if (!r || x86_retarget(r->bytes, r->base, entry.address, end, *kernel_callee, *model) == 0)
        return make_error("{}: {} does not call {}, which path '{}' replaces by its model",
                          kernel.file.string(), entry_name, callee, path.name);
    if (apply_phase_labels(kernel, image)) return {};
    image.set_foreign_phase(entry.address, Phase::save);
    uint64_t entry_end = end;
    if (auto pc = x86_find_call(image, entry.address, end, {*model})) {
        const uint8_t* b = r->bytes.data() + (*pc - r->base);
        const bool regs_arg = *pc >= entry.address + 3 &&
                              std::memcmp(b - 3, "\x48\x89\xe7", 3) == 0; // movq %rsp, %rdi
        image.set_foreign_phase(regs_arg ? *pc - 3 : *pc,
                                Phase::dispatch); // up to error_return, as the model
        if (!kernel.has("error_return")) image.set_foreign_phase(*pc + 5, Phase::trap_return);
        if (!entry.size &&
            r->contains(*pc + 5)) // the entry ends with the call's `jmp error_return`
            entry_end = *pc + 5 + (b[5] == 0xe9 ? 5 : b[5] == 0xeb ? 2 : 0);
    }
    image.set_foreign_phase(entry_end, std::nullopt);
    if (auto save = kernel.symbols.find("error_entry"); save != kernel.symbols.end()) {
        image.set_foreign_phase(save->second.address, Phase::save);
        if (save->second.size)
            image.set_foreign_phase(save->second.address + save->second.size, std::nullopt);
    }
    if (auto ret = kernel.symbols.find("error_return"); ret != kernel.symbols.end()) {
        image.set_foreign_phase(ret->second.address, Phase::trap_return);
        if (ret->second.size)
            image.set_foreign_phase(ret->second.address + ret->second.size, std::nullopt);
    }
    if (auto restore = kernel.address_of("restore_regs_and_return_to_kernel")) {
        image.set_foreign_phase(*restore, Phase::restore);
        if (auto orig_ax =
                find_bytes(image, *restore, *restore + 0x40, "\x48\x83\xc4\x08")) // addq $8, %rsp
            image.set_foreign_phase(*orig_ax + 4, Phase::trap_return);
        if (auto iret = kernel.address_of("native_irq_return_iret"))
            image.set_foreign_phase(*iret + 2, std::nullopt); // after iretq (48 cf)
    }
    return {};
}

// optprobe: arch_prepare_optimized_kprobe's detour buffer, built from the image's template as
// opt.c builds it: the bytes optprobe_template_entry .. optprobe_template_end copied, `movabs
// $op, %rdi` written at optprobe_template_val (synthesize_set_arg1) and `call` to the callback
// at optprobe_template_call (synthesize_relcall; here the harness's optimized_callback), the
// probed instruction copied after the template (the 5 bytes the jmp replaces: traced_func's
// NOP) and `jmp` back to the next instruction (synthesize_reljump). The buffer is a page of its
// own after the harness's text (a booted kernel takes it from the module area, within rel32 of
// both); the path's site patch, `jmp optprobe_slot`, then reaches it. Phases as optprobe.S
// labels its slot: save from the entry, dispatch from the `movq %rsp, %rsi` before the argument,
// restore after the call, site for the copied instruction and the jump back.
Expected<void> attach_x86_template_copy(const Vmlinux& kernel, const PathSpec& path, uint64_t begin,
                                        uint64_t end, std::string_view callee, Image& image) {
    auto val = need(kernel, path, "optprobe_template_val"),
         call = need(kernel, path, "optprobe_template_call");
    if (!val) return val.take_error();
    if (!call) return call.take_error();
    const uint64_t size = end - begin;
    const ForeignRegion* r = image.foreign_at(begin);
    if (end <= begin || size > 0x200 || !r || !r->contains(end - 1) || *val < begin ||
        *val + 10 > end || *call < begin || *call + 5 > end)
        return make_error("{}: optprobe_template_entry .. _end ({:#x} .. {:#x}) is not a template "
                          "the importer knows",
                          kernel.file.string(), begin, end);
    auto callback = image.address_of(callee);
    auto op = image.address_of("optprobe_op");
    auto probed = image.address_of("traced_func");
    if (!callback || !op || !probed)
        return make_error(
            "the x86_64 harness of path '{}' has no optimized_callback / optprobe_op / traced_func",
            path.name);
    constexpr uint64_t displaced =
        5; // the probed instruction: traced_func's 5-byte NOP (optprobe.S)
    const uint64_t buf = image.layout.text_base + image.layout.text_size;
    ForeignRegion detour{fmt::format("optprobe detour buffer (copy of {}'s optprobe_template)",
                                     kernel.file.filename().string()),
                         buf, std::vector<uint8_t>(0x1000, 0xcc)};
    std::vector<uint8_t>& b = detour.bytes;
    std::memcpy(b.data(), r->bytes.data() + (begin - r->base), size);
    auto rel32 = [&](uint64_t at, uint64_t target) {
        const int32_t rel = static_cast<int32_t>(static_cast<int64_t>(target - (buf + at + 5)));
        std::memcpy(b.data() + at + 1, &rel, 4);
    };
    const uint64_t val_at = *val - begin, call_at = *call - begin;
    b[val_at] = 0x48, b[val_at + 1] = 0xbf; // movabs $op, %rdi
    std::memcpy(b.data() + val_at + 2, &*op, 8);
    b[call_at] = 0xe8; // call optimized_callback
    rel32(call_at, *callback);
    std::memcpy(b.data() + size, image.text.data() + (*probed - image.layout.text_base), displaced);
    b[size + displaced] = 0xe9; // jmp back after the probed instruction
    rel32(size + displaced, *probed + displaced);
    const bool regs_arg = val_at >= 3 && std::memcmp(b.data() + val_at - 3, "\x48\x89\xe6", 3) ==
                                             0; // movq %rsp, %rsi
    image.foreign.push_back(std::move(detour));
    image.define_symbol("optprobe_slot", buf,
                        fmt::format("the detour buffer copied from {}'s optprobe_template_entry",
                                    kernel.file.filename().string()));
    image.set_foreign_phase(buf, Phase::save);
    image.set_foreign_phase(buf + val_at - (regs_arg ? 3 : 0), Phase::dispatch);
    image.set_foreign_phase(buf + call_at + 5, Phase::restore);
    image.set_foreign_phase(buf + size, Phase::site);
    image.set_foreign_phase(buf + size + displaced + 5, std::nullopt);
    return {};
}

} // namespace tracesim::vmlinux_detail
