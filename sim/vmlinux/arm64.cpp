// arm64 images: the kernel's own ftrace_caller / ftrace_regs_caller / return_to_handler (and, on
// DYNAMIC_FTRACE_WITH_REGS kernels that have it, the compiled ftrace_graph_func) run next to the
// harness, which sim/vmlinux links just below the kernel (BL reaches +-128 MiB; vmlinux_layout).
//
// Which ABI the image has is read from its code, not from its release:
//   - the entry frame: `sub sp, sp, #(PT_REGS_SIZE + 16)` in ftrace_caller = WITH_REGS (5.5-6.1,
//     hands a pt_regs to the ops func), anything else = WITH_ARGS (6.2+, a ftrace_regs);
//   - CALL_OPS (6.3+ where enabled): no `ftrace_call` label, ftrace_caller starts by loading the
//     per-site ops literal (`bic x11, x30, #7`) and calls op->func with `blr`;
//   - fgraph's exit: return_to_handler passes fp by value (<= 6.4) or a pointer to the frame it
//     saved (6.5+), whose size says ftrace_regs (6.13+) or fgraph_ret_regs (6.5-6.12).
// docs/real-kernel.md lists what is patched and stubbed per path.
#include "isa/isa.h"
#include "sim/vmlinux/arm64_insn.h"

#include <algorithm>
#include <cstring>

namespace tracesim::vmlinux_detail {

namespace {

constexpr uint32_t sub_x0_x30_4 = 0xd10013c0;  // sub x0, x30, #4: ip, where dispatch starts
constexpr uint32_t blr_x4 = 0xd63f0080;        // CALL_OPS: op->func(ip, parent_ip, op, regs)
constexpr uint32_t bic_x11_x30_7 = 0x927df3cb; // CALL_OPS: the literal's 8-byte boundary
constexpr uint32_t mov_x0_x29 = 0xaa1d03e0;    // return_to_handler: fp by value
constexpr uint64_t unknown_size_scan = 0x400;  // how far code without a symbol size is scanned

// Where the kernel's code `name` ends (0 when it has no such symbol: nothing to scan).
uint64_t code_end(const Vmlinux& kernel, std::string_view name) {
    auto s = kernel.symbols.find(name);
    return s == kernel.symbols.end() ? 0 : end_of(s->second, unknown_size_scan);
}

} // namespace

std::optional<uint32_t> word_at(const Vmlinux& kernel, uint64_t pc) {
    for (const ForeignRegion& r : kernel.regions)
        if (r.contains(pc) && r.contains(pc + 3)) {
            uint32_t w;
            std::memcpy(&w, r.bytes.data() + (pc - r.base), 4);
            return w;
        }
    return std::nullopt;
}

uint32_t* word_at(Image& image, uint64_t pc) {
    ForeignRegion* r = image.foreign_at(pc);
    return r && r->contains(pc + 3) ? reinterpret_cast<uint32_t*>(r->bytes.data() + (pc - r->base))
                                    : nullptr;
}

std::optional<uint64_t> arm64_branch_target(uint32_t w, uint64_t pc) {
    if ((w & 0x7c000000u) != 0x14000000u) return std::nullopt;
    int64_t imm = static_cast<int64_t>(static_cast<uint64_t>(w & 0x03ffffffu) << 38) >>
                  36; // sign-extend, * 4
    return pc + imm;
}

// (The harness takes return_to_handler's address with adrp + add; the kernel calls its C
// functions with bl.)
int arm64_retarget(std::vector<uint8_t>& bytes, uint64_t base, uint64_t begin, uint64_t end,
                   uint64_t from, uint64_t to) {
    int count = 0;
    begin = std::max(begin, base);
    end = std::min(end, base + bytes.size());
    auto load = [&](uint64_t pc) {
        uint32_t w;
        std::memcpy(&w, bytes.data() + (pc - base), 4);
        return w;
    };
    auto store = [&](uint64_t pc, uint32_t w) { std::memcpy(bytes.data() + (pc - base), &w, 4); };
    for (uint64_t pc = (begin + 3) & ~3ull; pc + 4 <= end; pc += 4) {
        uint32_t w = load(pc);
        if (auto target = arm64_branch_target(w, pc); target && *target == from) {
            int64_t distance = static_cast<int64_t>(to - pc) / 4;
            if (distance < -(1 << 25) || distance >= (1 << 25)) continue;
            store(pc, (w & 0xfc000000u) | (static_cast<uint32_t>(distance) & 0x03ffffffu));
            ++count;
            continue;
        }
        if ((w & 0x9f000000u) != 0x90000000u || pc + 8 > end) continue; // adrp
        uint32_t add = load(pc + 4);
        const uint32_t rd = w & 31;
        if ((add & 0xffc00000u) != 0x91000000u || (add & 31) != rd || ((add >> 5) & 31) != rd)
            continue;
        int64_t pages =
            static_cast<int64_t>(static_cast<uint64_t>(((w >> 5) & 0x7ffff) << 2 | ((w >> 29) & 3))
                                 << 43) >>
            43;
        uint64_t target =
            (pc & ~0xfffull) + (static_cast<uint64_t>(pages) << 12) + ((add >> 10) & 0xfff);
        if (target != from) continue;
        int64_t new_pages = static_cast<int64_t>((to & ~0xfffull) - (pc & ~0xfffull)) >> 12;
        if (new_pages < -(1 << 20) || new_pages >= (1 << 20)) continue;
        uint32_t imm = static_cast<uint32_t>(new_pages) & 0x1fffff;
        store(pc, (w & 0x9f00001fu) | ((imm & 3) << 29) | ((imm >> 2) << 5));
        store(pc + 4, (add & 0xffc003ffu) | (static_cast<uint32_t>(to & 0xfff) << 10));
        ++count;
    }
    return count;
}

namespace {

enum class Entry { regs, args, call_ops };

// The ABI of the image's ftrace_caller (see the file comment); nullopt without one.
std::optional<Entry> entry_abi(const Vmlinux& kernel) {
    auto entry = kernel.address_of("ftrace_caller");
    if (!entry) return std::nullopt;
    const uint32_t regs_frame = isa_for(Arch::arm64).layout("pt_regs")->size + 16;
    const uint32_t sub_sp_regs_frame = 0xd10003ffu | (regs_frame << 10);
    if (!kernel.has("ftrace_call") && find_word(kernel, *entry, *entry + 16, bic_x11_x30_7))
        return Entry::call_ops;
    if (find_word(kernel, *entry, *entry + 16, sub_sp_regs_frame)) return Entry::regs;
    return Entry::args;
}

enum class Graph {
    unknown,
    regs_graph_func,   // WITH_REGS with ftrace_graph_func on the pt_regs (Debian's 6.1.y), fp by
                       // value
    regs_graph_caller, // WITH_REGS with ftrace_graph_call / ftrace_graph_caller (upstream <= 6.1)
    args_fp,           // WITH_ARGS, fp by value (6.2-6.4)
    args_ret_regs,     // WITH_ARGS, struct fgraph_ret_regs (6.5-6.12)
    args_fregs,        // WITH_ARGS, struct ftrace_regs (6.13+)
};

Graph graph_abi(const Vmlinux& kernel) {
    auto entry = entry_abi(kernel);
    auto rth = kernel.address_of("return_to_handler");
    auto callee = kernel.address_of("ftrace_return_to_handler");
    if (!entry || !rth || !callee) return Graph::unknown;
    auto call = find_call(kernel, *rth, code_end(kernel, "return_to_handler"), *callee);
    if (!call) return Graph::unknown;
    auto arg = word_at(kernel, *call - 4);
    if (*entry == Entry::regs) {
        if (arg != mov_x0_x29) return Graph::unknown;
        if (kernel.has("ftrace_graph_caller")) return Graph::regs_graph_caller;
        return kernel.has("ftrace_graph_func") ? Graph::regs_graph_func : Graph::unknown;
    }
    if (arg == mov_x0_x29) return Graph::args_fp;
    if (arg != arm64_mov_x0_sp) return Graph::unknown;
    const uint32_t fregs_frame = isa_for(Arch::arm64).layout("ftrace_regs")->size;
    return word_at(kernel, *rth) == (0xd10003ffu | (fregs_frame << 10)) ? Graph::args_fregs
                                                                        : Graph::args_ret_regs;
}

// The symbol the path's site branches to ("bl ftrace_caller_v6_1" -> ftrace_caller_v6_1).
std::string site_target(const PathSpec& path) {
    auto at = path.site.find("bl ");
    if (at == std::string::npos) return "";
    std::string rest = path.site.substr(at + 3);
    rest.erase(0, rest.find_first_not_of(" \t"));
    return rest.substr(0, rest.find_first_of(" \t\n/"));
}

// The importer's ftrace mechanisms (a path's vmlinux.runs; the BRK ones are
// arm64_exceptions.cpp's): the kernel's ftrace_caller or ftrace_regs_caller around the handler, and
// fgraph's: ftrace_caller and return_to_handler around our C models of ftrace_graph_func and
// ftrace_return_to_handler, whichever fgraph ABI a modeled era has, or (fgraph_ftrace_regs: fprobe
// on fgraph, 6.14) only the ftrace_regs return of 6.13+. The paths on fgraph differ only by the
// fgraph user the harness links (fgraph_tracer.S, or fprobe.S's fprobe_entry / fprobe_return with
// the link's handlers).
constexpr std::string_view regs_entry = "ftrace_regs_caller", graph = "fgraph",
                           graph_fregs = "fgraph_ftrace_regs";
constexpr std::string_view ftrace_mechanisms[] = {"ftrace_caller", regs_entry, graph, graph_fregs};

bool on_graph(const PathSpec& path) {
    return path.vmlinux.runs == graph || path.vmlinux.runs == graph_fregs;
}

const char* entry_symbol(const PathSpec& path) {
    return path.vmlinux.runs == regs_entry ? "ftrace_regs_caller" : "ftrace_caller";
}

// Where the trampoline calls the ops func: the `ftrace_call` label, else (an image built from
// kernels/arm64/*.S) its `bl` to ftrace_stub or ftrace_ops_func, else (CALL_OPS) the `blr x4`
// after `sub x0, x30, #4`.
std::optional<uint64_t> ops_call(const Vmlinux& kernel, std::string_view entry_name) {
    if (auto label = kernel.address_of("ftrace_call")) return label;
    auto entry = kernel.address_of(entry_name);
    if (!entry) return std::nullopt;
    const uint64_t end = code_end(kernel, entry_name);
    // WITH_REGS entries branch to ftrace_common, which makes the call
    for (const char* code : {"", "ftrace_common"}) {
        auto begin = *code ? kernel.address_of(code) : entry;
        if (!begin) continue;
        for (const char* target : {"ftrace_stub", "ftrace_ops_func"})
            if (auto t = kernel.address_of(target))
                if (auto call = find_call(kernel, *begin, *code ? code_end(kernel, code) : end, *t))
                    return call;
    }
    if (entry_abi(kernel) != Entry::call_ops) return std::nullopt;
    auto dispatch = find_word(kernel, *entry, end, sub_x0_x30_4);
    return dispatch ? find_word(kernel, *dispatch, end, blr_x4) : std::nullopt;
}

std::optional<uint64_t> ops_call(const Vmlinux& kernel, const PathSpec& path) {
    return ops_call(kernel, entry_symbol(path));
}

// Upstream <= 6.1's ftrace_graph_call: the label, else the NOP right after the ftrace_call site.
std::optional<uint64_t> graph_call(const Vmlinux& kernel) {
    if (auto label = kernel.address_of("ftrace_graph_call")) return label;
    auto call = ops_call(kernel, "ftrace_caller");
    if (call && word_at(kernel, *call + 4) == arm64_nop) return *call + 4;
    return std::nullopt;
}

// The era of `path` the image's fgraph ABI picks (6.1's fp-by-value stubs or 6.14's ftrace_regs),
// when the catalogue models the path at that era; the BRK paths' by their trampoline's form.
std::string arm64_era(const Vmlinux& kernel, const Catalogue& catalogue, std::string_view path) {
    const PathSpec* spec = nullptr;
    for (const PathSpec& p : catalogue.paths)
        if (p.name == path && p.arch == Arch::arm64) spec = &p;
    if (!spec || !on_graph(*spec)) return arm64_trap_era(kernel, catalogue, path);
    std::string era;
    switch (graph_abi(kernel)) {
    case Graph::regs_graph_func:
    case Graph::regs_graph_caller:
        era = "6.1";
        break;
    case Graph::args_fregs:
        era = "6.14";
        break;
    default:
        break;
    }
    return catalogue.find_path(path, Arch::arm64, era) && !era.empty() ? era : "";
}

VmlinuxNote arm64_note(const Vmlinux& kernel, const PathSpec& path) {
    if (path.vmlinux.runs == "ftrace_caller" && entry_abi(kernel) == Entry::regs &&
        path.regs_struct == "ftrace_regs")
        return {"this kernel's ftrace_caller (DYNAMIC_FTRACE_WITH_REGS, allregs=0) hands the "
                "handler a pt_regs (x0-x9, fp, lr, sp, pc written), the modeled one a ftrace_regs; "
                "x0-x2 sit at the same offsets, so the handler's reads agree; the register-struct "
                "checks (ftrace_regs offsets) are left out",
                true};
    if (path.vmlinux.runs == graph && graph_abi(kernel) == Graph::regs_graph_func)
        // the same pt_regs as the 6.1 model's: its register checks stand
        return {"this kernel's fgraph entry is ftrace_graph_func (C, on the pt_regs), where "
                "upstream 6.1 and the model patch ftrace_graph_call to ftrace_graph_caller + "
                "prepare_ftrace_return; the kernel's compiled ftrace_graph_func runs, its "
                "function_graph_enter is the model's"};
    return {};
}

std::string arm64_unsupported_reason(const Vmlinux& kernel, const PathSpec& path) {
    const std::string file = kernel.file.filename().string();
    auto entry = entry_abi(kernel);
    if (!entry)
        return fmt::format("{} has no ftrace_caller (built without DYNAMIC_FTRACE_WITH_REGS/ARGS)",
                           file);
    if (path.name == "ftrace-regs" && !kernel.has("ftrace_regs_caller"))
        return fmt::format(
            "{} has no ftrace_regs_caller: a DYNAMIC_FTRACE_WITH_ARGS kernel (6.2+) has no pt_regs "
            "entry trampoline on arm64",
            file);
    if (!ops_call(kernel, path))
        return fmt::format("{} has no ftrace_call label and no call to ftrace_stub in {}: path "
                           "'{}' cannot find the site it patches to call its handler",
                           file, entry_symbol(path), path.name);
    if (!on_graph(path)) return "";
    if (std::string lacks = missing_stand_in(kernel, path); !lacks.empty())
        return fmt::format("{} has no {}, which path '{}' stands for: built without "
                           "CONFIG_FPROBE, or before 6.14 (fprobe on fgraph), the only era with "
                           "a model of the path on arm64's fgraph",
                           file, lacks, path.name);
    for (const char* name : {"return_to_handler", "ftrace_return_to_handler"})
        if (!kernel.has(name))
            return fmt::format("{} has no {}, which path '{}' needs", file, name, path.name);
    const Graph graph = graph_abi(kernel);
    if (path.vmlinux.runs == graph_fregs && graph != Graph::args_fregs)
        return fmt::format("{}'s return_to_handler does not pass a ftrace_regs (6.13+), which path "
                           "'{}' (on fgraph's ftrace_regs return, 6.14) needs",
                           file, path.name);
    switch (graph) {
    case Graph::regs_graph_func:
        if (path.kernel != "6.1")
            return "this image's fgraph passes fp by value to ftrace_return_to_handler and a "
                   "pt_regs to ftrace_graph_func, which only the 6.1 model's stubs take: use "
                   "--kernel 6.1";
        return kernel.has("function_graph_enter")
                   ? ""
                   : file + " has no function_graph_enter, which path 'fgraph' stubs";
    case Graph::args_fregs:
        if (path.kernel != "6.14")
            return "this image's return_to_handler passes a ftrace_regs (6.13+), which only the "
                   "6.14 model's ftrace_return_to_handler takes: use --kernel 6.14";
        return "";
    case Graph::regs_graph_caller:
        if (path.kernel != "6.1")
            return "this image's fgraph is ftrace_graph_caller -> prepare_ftrace_return (upstream "
                   "<= 6.1), which only the 6.1 model's stubs take: use --kernel 6.1";
        if (!graph_call(kernel))
            return file + " has no ftrace_graph_call label and no NOP after the ftrace_call site, "
                          "which path 'fgraph' patches to `b ftrace_graph_caller`";
        return kernel.has("prepare_ftrace_return")
                   ? ""
                   : file + " has no prepare_ftrace_return, which path 'fgraph' stubs";
    case Graph::args_fp:
        return "this image's return_to_handler passes fp by value after a WITH_ARGS entry "
               "(6.2-6.4): no modeled era has that pair of stubs";
    case Graph::args_ret_regs:
        return "this image's return_to_handler passes a struct fgraph_ret_regs (6.5-6.12): the "
               "modeled eras take fp by value (6.1) or a ftrace_regs (6.14)";
    case Graph::unknown:
        break;
    }
    return fmt::format(
        "{}'s return_to_handler / ftrace_graph_func are not in a form the importer knows", file);
}

// Phases on an image without tracesim's labels: save from the entry, dispatch from `sub x0, x30,
// #4` (the ip argument; WITH_REGS: in ftrace_common), restore after the call to the ops func.
void set_entry_phases(const Vmlinux& kernel, const PathSpec& path, Entry abi, uint64_t entry,
                      uint64_t call, Image& image) {
    const uint64_t tramp_end = code_end(kernel, entry_symbol(path));
    const bool common = abi == Entry::regs && kernel.has("ftrace_common");
    const uint64_t common_end = common ? code_end(kernel, "ftrace_common") : 0;
    auto dispatch =
        common ? find_word(kernel, *kernel.address_of("ftrace_common"), common_end, sub_x0_x30_4)
               : find_word(kernel, entry, tramp_end, sub_x0_x30_4);
    image.set_foreign_phase(entry, Phase::save);
    if (dispatch) image.set_foreign_phase(*dispatch, Phase::dispatch);
    image.set_foreign_phase(call + 4, Phase::restore);
    image.set_foreign_phase(std::max(tramp_end, common_end), std::nullopt);
}

// The ops func the trampoline calls: the harness's `ftrace_ops_func` (the handler, or the path's C
// model of it), or, for fgraph on a WITH_REGS kernel, the kernel's own compiled
// ftrace_graph_func, or (upstream <= 6.1) ftrace_stub with ftrace_graph_call patched to branch to
// the kernel's ftrace_graph_caller.
Expected<std::string> choose_ops_func(const Vmlinux& kernel, const PathSpec& path, Graph graph,
                                      Image& image) {
    const std::string file = kernel.file.filename().string();
    if (graph == Graph::regs_graph_func) {
        auto func = need(kernel, path, "ftrace_graph_func");
        if (!func) return func.take_error();
        image.define_symbol("ftrace_graph_func", *func, file);
        return std::string("ftrace_graph_func");
    }
    if (graph != Graph::regs_graph_caller) return std::string("ftrace_ops_func");
    // only the graph tracer on: ftrace_call calls ftrace_stub (graph_ops' func)
    auto stub = need(kernel, path, "ftrace_stub");
    auto caller = need(kernel, path, "ftrace_graph_caller");
    if (!stub) return stub.take_error();
    if (!caller) return caller.take_error();
    image.define_symbol("ftrace_graph_caller", *caller, file);
    if (auto ok = image.patch(*graph_call(kernel), 4, "b ftrace_graph_caller",
                              fmt::format("ftrace_graph_call of {}", file));
        !ok)
        return ok.take_error();
    return std::string("ftrace_stub");
}

// CALL_OPS: ftrace writes the ops' address into the 8 bytes the compiler left before the function
// (-fpatchable-function-entry=4,2); ftrace_caller finds it from the return address of its BL. Our
// traced function has 16-byte alignment and padding before it: the literal goes there, and the
// ops (zeroed, func first, so no direct call) on a page of its own.
Expected<void> place_ops_literal(const std::string& ops_func, Image& image) {
    auto traced = image.address_of("traced_func");
    auto func = image.address_of(ops_func);
    if (!traced || !func) return make_error("the arm64 harness has no traced_func / {}", ops_func);
    const uint64_t literal = ((*traced + 8) & ~7ull) - 16;
    if (!image.in_text(literal) || image.phase_at(literal) || image.phase_at(literal + 4))
        return make_error("CALL_OPS: no free 8 bytes before traced_func for the ops literal ({})",
                          image.describe(literal));
    const uint64_t ops = image.layout.text_base - 0x1000;
    ForeignRegion page{"ftrace_ops (CALL_OPS literal target)", ops,
                       std::vector<uint8_t>(0x1000, 0)};
    std::memcpy(page.bytes.data(), &*func, 8);
    image.foreign.push_back(std::move(page));
    std::memcpy(image.text.data() + (literal - image.layout.text_base), &ops, 8);
    return {};
}

// The kernel's `caller` calls `callee` (C); that call now reaches the harness's `model` of it.
// Returns where the call is.
Expected<uint64_t> retarget_c_call(const Vmlinux& kernel, const PathSpec& path,
                                   std::string_view caller, std::string_view callee,
                                   std::string_view model, Image& image) {
    auto caller_at = need(kernel, path, caller);
    auto callee_at = need(kernel, path, callee);
    if (!caller_at) return caller_at.take_error();
    if (!callee_at) return callee_at.take_error();
    auto model_at = image.address_of(model);
    if (!model_at)
        return make_error("the arm64 harness of path '{}' has no model of {}", path.name, callee);
    ForeignRegion* r = image.foreign_at(*caller_at);
    auto site = find_call(kernel, *caller_at, code_end(kernel, caller), *callee_at);
    if (!r || !site ||
        arm64_retarget(r->bytes, r->base, *site, *site + 4, *callee_at, *model_at) != 1)
        return make_error("{}: {} does not call {}, which path '{}' replaces by its model",
                          kernel.file.string(), caller, callee, path.name);
    return *site;
}

// fgraph's return: the kernel's return_to_handler is where the hooked function returns; the
// harness's references to its model (the address the modeled graph func writes) now reach it, and
// its call to ftrace_return_to_handler (C) reaches the model's, as do the C calls of the kernel's
// graph entry that runs (ftrace_graph_func's function_graph_enter, ftrace_graph_caller's
// prepare_ftrace_return).
Expected<void> attach_graph_return(const Vmlinux& kernel, const PathSpec& path, Graph graph,
                                   Image& image) {
    const bool v6_1 = graph == Graph::regs_graph_func || graph == Graph::regs_graph_caller;
    auto rth = need(kernel, path, "return_to_handler");
    if (!rth) return rth.take_error();
    auto model_rth = image.address_of(v6_1 ? "return_to_handler_v6_1" : "return_to_handler");
    if (!model_rth)
        return make_error("the arm64 harness of path '{}' has no model of return_to_handler",
                          path.name);
    // (the model's prepare_ftrace_return_v6_1 writes it; idle when the kernel's graph func runs)
    if (arm64_retarget(image.text, image.layout.text_base, image.layout.text_base,
                       image.layout.text_base + image.text.size(), *model_rth, *rth) == 0)
        return make_error("path '{}': nothing in the harness refers to return_to_handler",
                          path.name);
    image.define_symbol("return_to_handler", *rth, kernel.file.filename().string());
    auto site =
        retarget_c_call(kernel, path, "return_to_handler", "ftrace_return_to_handler",
                        v6_1 ? "ftrace_return_to_handler_v6_1" : "ftrace_return_to_handler", image);
    if (!site) return site.take_error();
    std::string_view entry_caller;
    if (graph == Graph::regs_graph_func) {
        entry_caller = "ftrace_graph_func";
        if (auto ok = retarget_c_call(kernel, path, entry_caller, "function_graph_enter",
                                      "function_graph_enter_v6_1", image);
            !ok)
            return ok.take_error();
    }
    if (graph == Graph::regs_graph_caller) {
        entry_caller = "ftrace_graph_caller";
        if (auto ok = retarget_c_call(kernel, path, entry_caller, "prepare_ftrace_return",
                                      "prepare_ftrace_return_v6_1", image);
            !ok)
            return ok.take_error();
    }
    if (!kernel.phase_labels.empty()) return {};
    // as the models mark it: save the return registers, dispatch the argument and the call,
    // hijack for the C model and the return address it gives back, restore. The kernel's graph
    // entry (C) is dispatch.
    image.set_foreign_phase(*rth, Phase::save);
    image.set_foreign_phase(*site - 4, Phase::dispatch);
    image.set_foreign_phase(*site + 4, Phase::hijack);
    image.set_foreign_phase(*site + 8, Phase::restore);
    image.set_foreign_phase(code_end(kernel, "return_to_handler"), std::nullopt);
    if (!entry_caller.empty()) {
        image.set_foreign_phase(*kernel.address_of(entry_caller), Phase::dispatch);
        image.set_foreign_phase(code_end(kernel, entry_caller), std::nullopt);
    }
    return {};
}

Expected<void> attach_arm64(const Vmlinux& kernel, const PathSpec& path, Image& image) {
    const std::string file = kernel.file.filename().string();
    if (auto ok = map_kernel(kernel, image); !ok) return ok;
    const Entry abi = *entry_abi(kernel);
    auto entry = need(kernel, path, entry_symbol(path));
    if (!entry) return entry.take_error();
    // The site's `bl` names the model's entry (ftrace_caller, ftrace_regs_caller,
    // ftrace_caller_v6_1): that name now stands for the kernel's.
    image.define_symbol(entry_symbol(path), *entry, file);
    if (std::string target = site_target(path); !target.empty())
        image.define_symbol(target, *entry, file);
    if (auto stub = kernel.address_of("ftrace_stub"))
        image.define_symbol("ftrace_stub", *stub, file);

    auto call = ops_call(kernel, path); // where the ops func is called
    if (!call)
        return make_error("{} on {}: no call to the ops func found", path.name,
                          kernel.file.string());
    if (!apply_phase_labels(kernel, image))
        set_entry_phases(kernel, path, abi, *entry, *call, image);

    const Graph graph = on_graph(path) ? graph_abi(kernel) : Graph::unknown;
    auto ops_func = choose_ops_func(kernel, path, graph, image);
    if (!ops_func) return ops_func.take_error();
    if (abi == Entry::call_ops) {
        if (auto ok = place_ops_literal(*ops_func, image); !ok) return ok;
    } else if (auto ok =
                   image.patch(*call, 4, "bl " + *ops_func, fmt::format("ftrace_call of {}", file));
               !ok) {
        return ok;
    }
    if (on_graph(path))
        if (auto ok = attach_graph_return(kernel, path, graph, image); !ok) return ok;
    if (abi == Entry::call_ops && !kernel.has("function_trace_op")) return {};
    return set_function_trace_op(kernel, path, image);
}

bool knows(std::string_view mechanism) {
    return arm64_trap_mechanism(mechanism) ||
           std::find(std::begin(ftrace_mechanisms), std::end(ftrace_mechanisms), mechanism) !=
               std::end(ftrace_mechanisms);
}

} // namespace

const ArchImporter arm64_importer{
    .arch = Arch::arm64,
    .elf_machine = 183,      // EM_AARCH64
    .run_limit = 1ull << 44, // Unicorn 2.0.1's AArch64 PA range (ID_AA64MMFR0.PARange 4)
    // where a booted kernel keeps its modules: BL reaches +-128 MiB, ADRP +-4 GiB
    .harness_gap = 0x1000000,
    .knows = knows,
    .unsupported_reason =
        [](const Vmlinux& kernel, const Catalogue& catalogue, const PathSpec& path) {
            return arm64_trap_mechanism(path.vmlinux.runs)
                       ? arm64_trap_unsupported_reason(kernel, catalogue, path)
                       : arm64_unsupported_reason(kernel, path);
        },
    .era = arm64_era,
    .note = arm64_note,
    .attach =
        [](const Vmlinux& kernel, const PathSpec& path, Image& image) {
            return arm64_trap_mechanism(path.vmlinux.runs) ? attach_arm64_trap(kernel, path, image)
                                                           : attach_arm64(kernel, path, image);
        },
};

} // namespace tracesim::vmlinux_detail
