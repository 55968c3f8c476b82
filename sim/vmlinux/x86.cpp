// x86_64 images: the kernel's own ftrace_caller / ftrace_regs_caller, return_to_handler and
// arch_rethook_trampoline run next to the harness at their link addresses (call rel32 reaches the
// top 2 GiB from the harness at 0x400000), with the sites and C calls retargeted as the table below
// says per path; exception entries and the optprobe template are x86_exceptions.cpp's.
// docs/real-kernel.md lists what is patched and stubbed per path.
#include "sim/vmlinux/attach.h"

#include <algorithm>
#include <cstring>

namespace tracesim::vmlinux_detail {

namespace {

// The x86_64 importer's mechanisms: the trampoline a path enters, its ftrace_call label and the
// label where its ops pointer is loaded. A path names its mechanism in the catalogue (`vmlinux =
// { runs = "rethook", stands_for = [...] }`) and differs from the others on it only by the C it
// stands for. Without phase labels in the image, dispatch starts where our model of that trampoline
// starts it: at the ops load (ftrace_caller), or at the `leaq (%rsp), %rcx` that passes the regs
// (ftrace_regs_caller, whose ops load comes early).
//
// `kernel_code`: a further kernel trampoline of the path ("" = none); the harness's references to
// its model (fgraph's hijacked return address) are rewritten to reach the kernel's. `c_callee`:
// the C function it calls; the calls are rewritten to reach the harness's model of the
// same name (same calling convention; its instructions count in the model's phases).
// `jump_back`: the bytes after which a return trampoline jumps back to the real return address
// (6.1 return_to_handler's `addq $16, %rsp`; the phase split marks what follows hijack); "" when
// it returns with its restore (arch_rethook_trampoline's popfq; ret).
// `entered_by_trap`: `symbol` is an IDT entry the trap reaches (the simulator's trap delivery
// jumps to the image's asm_exc_int3), not a site the path patches; its call of `c_callee`
// reaches the harness's model (attach_x86_trap_entry).
// `copied_template`: `symbol` is a template the kernel copies into a detour buffer per probe
// (optprobe_template_entry .. optprobe_template_end), with its argument and call patched in,
// the probed instruction and a jump back appended; `c_callee` is the call
// (attach_x86_template_copy).
struct Trampoline {
    std::string_view mechanism, symbol, call_site = "", op_ptr = "";
    bool dispatch_at_regs_arg = false;
    std::string_view kernel_code = "";
    std::string_view c_callee = "";
    std::string_view jump_back = "";
    bool entered_by_trap = false;
    bool copied_template = false;
};
constexpr std::string_view add_rsp_16 = "\x48\x83\xc4\x10"; // addq $16, %rsp

constexpr Trampoline ftrace_entry{.mechanism = "ftrace_caller",
                                  .symbol = "ftrace_caller",
                                  .call_site = "ftrace_call",
                                  .op_ptr = "ftrace_caller_op_ptr"};
constexpr Trampoline ftrace_regs_entry{.mechanism = "ftrace_regs_caller",
                                       .symbol = "ftrace_regs_caller",
                                       .call_site = "ftrace_regs_call",
                                       .op_ptr = "ftrace_regs_caller_op_ptr",
                                       .dispatch_at_regs_arg = true};

constexpr Trampoline x86_mechanisms[] = {
    ftrace_entry,
    ftrace_regs_entry,
    // fgraph's return: ftrace_caller at entry, the kernel's return_to_handler at return
    [] {
        Trampoline t = ftrace_entry;
        t.mechanism = "fgraph";
        t.kernel_code = "return_to_handler";
        t.c_callee = "ftrace_return_to_handler";
        t.jump_back = add_rsp_16;
        return t;
    }(),
    // rethook's return: ftrace_regs_caller at entry, the kernel's arch_rethook_trampoline at return
    [] {
        Trampoline t = ftrace_regs_entry;
        t.mechanism = "rethook";
        t.kernel_code = "arch_rethook_trampoline";
        t.c_callee = "arch_rethook_trampoline_callback";
        return t;
    }(),
    // int3 kprobes: the kernel's #BP entry (idtentry, error_entry, error_return, iretq) around our
    // model of exc_int3 (do_int3 -> kprobe_int3_handler), for both traps of a hit
    {.mechanism = "int3",
     .symbol = "asm_exc_int3",
     .dispatch_at_regs_arg = true,
     .c_callee = "exc_int3",
     .entered_by_trap = true},
    // optimized kprobes: the kernel's optprobe_template copied into a detour buffer, as
    // arch_prepare_optimized_kprobe does, around our model of optimized_callback
    {.mechanism = "optprobe",
     .symbol = "optprobe_template_entry",
     .dispatch_at_regs_arg = true,
     .kernel_code = "optprobe_template_end",
     .c_callee = "optimized_callback",
     .copied_template = true},
};

const Trampoline* trampoline_of(std::string_view mechanism) {
    for (const Trampoline& t : x86_mechanisms)
        if (t.mechanism == mechanism) return &t;
    return nullptr;
}

// The path's further kernel trampoline (t.kernel_code) stands for the harness's model of it: the
// harness's references reach the kernel's, and its call of t.c_callee reaches the harness's model
// of that. Phases without tracesim's labels: save up to the call's argument set-up, hijack for the
// call (the C model), restore after it, hijack again for the jump back (as return_to_handler_*.S
// mark them).
Expected<void> attach_return_code(const Vmlinux& kernel, const PathSpec& path, const Trampoline& t,
                                  Image& image) {
    const std::string_view name = t.kernel_code, callee = t.c_callee;
    auto code = need_symbol(kernel, path, name);
    if (!code) return code.take_error();
    const uint64_t begin = code->address, end = end_of(*code, 0x400);
    auto model = image.address_of(name);
    if (!model)
        return make_error("the {} harness of path '{}' has no model of {}", path.arch, path.name,
                          name);
    if (x86_retarget(image.text, image.layout.text_base, image.layout.text_base,
                     image.layout.text_base + image.text.size(), *model, begin) == 0)
        return make_error("path '{}': nothing in the harness refers to {}", path.name, name);
    image.define_symbol(std::string(name), begin, kernel.file.filename().string());
    if (callee.empty()) return {};
    auto stub = image.address_of(callee);
    if (!stub)
        return make_error("the {} harness of path '{}' has no model of {}", path.arch, path.name,
                          callee);
    auto callee_at = need(kernel, path, callee);
    if (!callee_at) return callee_at.take_error();
    ForeignRegion* r = image.foreign_at(begin);
    if (!r || x86_retarget(r->bytes, r->base, begin, end, *callee_at, *stub) == 0)
        return make_error("{}: {} does not call {}, which path '{}' replaces by its model",
                          kernel.file.string(), name, callee, path.name);
    if (!kernel.phase_labels.empty()) return {}; // attach_vmlinux applied them
    image.set_foreign_phase(begin, Phase::save);
    if (auto pc = x86_find_call(image, begin, end, {*stub})) {
        const uint8_t* b = r->bytes.data() + (*pc - r->base);
        // the argument: `movq %rbp, %rdi` (6.1 return_to_handler) or `movq %rsp, %rdi` (the regs:
        // arch_rethook_trampoline, 6.14 return_to_handler)
        const bool arg = *pc >= begin + 3 && (std::memcmp(b - 3, "\x48\x89\xef", 3) == 0 ||
                                              std::memcmp(b - 3, "\x48\x89\xe7", 3) == 0);
        image.set_foreign_phase(arg ? *pc - 3 : *pc, Phase::hijack);
        image.set_foreign_phase(*pc + 5, Phase::restore);
        // the jump back to the original return address (after t.jump_back): hijack
        if (!t.jump_back.empty())
            if (auto back = find_bytes(image, *pc + 5, end, t.jump_back))
                image.set_foreign_phase(*back + t.jump_back.size(), Phase::hijack);
    }
    image.set_foreign_phase(end, std::nullopt);
    return {};
}

} // namespace

int x86_retarget(std::vector<uint8_t>& bytes, uint64_t base, uint64_t begin, uint64_t end,
                 uint64_t from, uint64_t to) {
    int count = 0;
    begin = std::max(begin, base);
    end = std::min(end, base + bytes.size());
    for (uint64_t pc = begin; pc + 5 <= end; ++pc) {
        uint8_t* b = bytes.data() + (pc - base);
        uint64_t disp_at, next;
        if (b[0] == 0xe8 || b[0] == 0xe9) {
            disp_at = pc + 1, next = pc + 5;
        } else if (pc + 7 <= end && (b[0] == 0x48 || b[0] == 0x4c) && b[1] == 0x8d &&
                   (b[2] & 0xc7) == 0x05) {
            disp_at = pc + 3, next = pc + 7;
        } else {
            continue;
        }
        int32_t disp;
        std::memcpy(&disp, bytes.data() + (disp_at - base), 4);
        if (next + static_cast<int64_t>(disp) != from) continue;
        int64_t distance = static_cast<int64_t>(to - next);
        if (distance != static_cast<int32_t>(distance)) continue;
        disp = static_cast<int32_t>(distance);
        std::memcpy(bytes.data() + (disp_at - base), &disp, 4);
        ++count;
    }
    return count;
}

std::optional<uint64_t> x86_find_call(const Image& image, uint64_t begin, uint64_t end,
                                      const std::vector<uint64_t>& targets) {
    const ForeignRegion* r = image.foreign_at(begin);
    if (!r) return std::nullopt;
    end = std::min(end, r->base + r->bytes.size());
    for (uint64_t pc = begin; pc + 5 <= end; ++pc) {
        const uint8_t* b = r->bytes.data() + (pc - r->base);
        if (b[0] != 0xe8) continue;
        int32_t rel;
        std::memcpy(&rel, b + 1, 4);
        if (std::find(targets.begin(), targets.end(), pc + 5 + static_cast<int64_t>(rel)) !=
            targets.end())
            return pc;
    }
    return std::nullopt;
}

std::optional<uint64_t> find_bytes(const Image& image, uint64_t begin, uint64_t end,
                                   std::string_view pattern) {
    const ForeignRegion* r = image.foreign_at(begin);
    for (uint64_t pc = begin;
         r && pc + pattern.size() <= end && r->contains(pc + pattern.size() - 1); ++pc)
        if (std::memcmp(r->bytes.data() + (pc - r->base), pattern.data(), pattern.size()) == 0)
            return pc;
    return std::nullopt;
}

namespace {

std::string x86_unsupported_reason(const Vmlinux& kernel, const Catalogue&, const PathSpec& path) {
    const Trampoline* t = trampoline_of(path.vmlinux.runs);
    std::string lacks;
    for (std::string_view name : {t->symbol, t->kernel_code, t->c_callee})
        if (lacks.empty() && !name.empty() && !kernel.has(name)) lacks = name;
    if (lacks.empty()) lacks = missing_stand_in(kernel, path);
    if (lacks.empty()) return "";
    return fmt::format("path '{}' needs {}, which the kernel lacks (built without the option that "
                       "provides it, or from an era that names it differently)",
                       path.name, lacks);
}

Expected<void> attach_x86(const Vmlinux& kernel, const PathSpec& path, Image& image) {
    const Trampoline& t = *trampoline_of(path.vmlinux.runs); // known: vmlinux_unsupported_reason
    const std::string file = kernel.file.filename().string();
    if (auto ok = map_kernel(kernel, image); !ok) return ok;

    auto tramp = need_symbol(kernel, path, t.symbol);
    if (!tramp) return tramp.take_error();
    const uint64_t entry = tramp->address;
    image.define_symbol(std::string(t.symbol), entry, file);
    for (std::string_view helper : {"ftrace_stub", "__x86_return_thunk"})
        if (auto a = kernel.address_of(helper)) image.define_symbol(std::string(helper), *a, file);
    if (t.entered_by_trap)
        return attach_x86_trap_entry(kernel, path, t.symbol, *tramp, t.c_callee, image);
    if (t.copied_template) {
        auto end = need(kernel, path, t.kernel_code);
        if (!end) return end.take_error();
        return attach_x86_template_copy(kernel, path, entry, *end, t.c_callee, image);
    }

    // Phases: tracesim's own labels when the image was built from kernels/*.S; else from the
    // kernel's labels (save until the ops pointer is loaded, dispatch up to the ftrace_call,
    // restore after it; code outside the trampoline keeps the phase it was entered from).
    const uint64_t tramp_end = end_of(*tramp, 0x400);
    if (!apply_phase_labels(kernel, image)) {
        image.set_foreign_phase(entry, Phase::save);
        std::optional<uint64_t> dispatch = kernel.address_of(t.op_ptr);
        auto call = kernel.address_of(t.call_site);
        if (t.dispatch_at_regs_arg && call)
            if (const ForeignRegion* r = image.foreign_at(*call))
                for (uint64_t pc = *call - 4;
                     pc >= std::max(entry, *call - 0x40) && r->contains(pc); --pc)
                    if (std::memcmp(r->bytes.data() + (pc - r->base), "\x48\x8d\x0c\x24", 4) == 0) {
                        dispatch = pc;
                        break;
                    }
        if (dispatch) image.set_foreign_phase(*dispatch, Phase::dispatch);
        if (call) image.set_foreign_phase(*call + 5, Phase::restore);
        if (tramp->size) image.set_foreign_phase(tramp_end, std::nullopt);
    }

    // The ftrace_call site: by its label, else the call in the trampoline to ftrace_stub (or to
    // the symbol our own sources call there).
    std::optional<uint64_t> site = kernel.address_of(t.call_site);
    if (!site) {
        std::vector<uint64_t> targets;
        for (std::string_view name : {"ftrace_stub", "ftrace_ops_func"})
            if (auto a = kernel.address_of(name)) targets.push_back(*a);
        site = x86_find_call(image, entry, tramp_end, targets);
    }
    if (!site)
        return make_error(
            "{} has no '{}' label and no call to ftrace_stub in {}: cannot find the site path '{}' "
            "patches to call its handler",
            kernel.file.string(), t.call_site, t.symbol, path.name);
    if (auto ok = image.patch(*site, 5, "call ftrace_ops_func",
                              fmt::format("{} of {}", t.call_site, file));
        !ok)
        return ok.take_error();

    // The path's return trampoline, and the C function it calls.
    if (!t.kernel_code.empty())
        if (auto ok = attach_return_code(kernel, path, t, image); !ok) return ok;

    // function_trace_op: the ops the trampoline passes as the 3rd argument.
    return set_function_trace_op(kernel, path, image);
}

} // namespace

const ArchImporter x86_importer{
    .arch = Arch::x86_64,
    .elf_machine = 62, // EM_X86_64
    .run_limit = 0,    // Unicorn runs the top 2 GiB as is
    .harness_gap = 0,  // call rel32 reaches the top 2 GiB from the harness at 0x400000
    .knows = [](std::string_view mechanism) { return trampoline_of(mechanism) != nullptr; },
    .unsupported_reason = x86_unsupported_reason,
    .era = nullptr,
    .note = nullptr,
    .attach = attach_x86,
};

} // namespace tracesim::vmlinux_detail
