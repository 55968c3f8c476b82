#include "sim/boot/phases.h"

#include "sim/boot/guest_arch.h"

#include <algorithm>
#include <map>
#include <set>

namespace tracesim {

namespace {

// Where the patchable entry starts: after an instruction the site may follow (endbr64, bti c).
uint64_t site_start(const BootWindow& w, const BootCall& call, const BootRules& rules) {
    if (call.stream.empty()) return 0;
    const BootInstruction& first = w.stream[call.stream.front()];
    for (const std::vector<uint8_t>& after : rules.site_after)
        if (after.size() == first.size && std::equal(after.begin(), after.end(), first.bytes.begin()))
            return first.size;
    return 0;
}

} // namespace

BootedCallTrace booted_trace(const BootWindow& w, const BootCall& call,
                             const KernelSymbols& symbols, const BootRules& rules,
                             uint64_t entry, std::optional<uint64_t> probe_offset,
                             std::string_view path) {
    BootedCallTrace out;
    DynamicTrace& t = out.trace;
    t.arch = rules.arch;
    t.next_pc = call.complete ? call.return_address : 0;
    const uint64_t site_begin = site_start(w, call, rules);
    const uint64_t site_end = site_begin + rules.site_bytes;
    auto entry_hit = symbols.lookup(entry);
    const KernelSymbol* target = entry_hit ? entry_hit->symbol : nullptr;
    std::set<uint32_t> trapped(call.trapped.begin(), call.trapped.end());

    std::vector<Phase> callers{Phase::body}; // the phase each live frame was called from
    std::set<const KernelSymbol*> restoring; // save+restore trampolines returned into
    std::set<const KernelSymbol*> called_out; // save+dispatch+restore trampolines past a call
    std::map<const KernelSymbol*, size_t> last_return; // ... and where their last return landed
    std::set<const KernelSymbol*> took_return;         // ... that called the probed function's body
    std::vector<const KernelSymbol*> owner;            // each instruction's symbol
    // A symbol's rule is the same for every instruction of the call: looked up once per symbol
    // (rule_for walks every pattern, some with fnmatch).
    std::map<const KernelSymbol*, const PhaseRule*> rule_of;
    auto rule_for = [&](const KernelSymbol* symbol) {
        auto [it, fresh] = rule_of.try_emplace(symbol, nullptr);
        if (fresh) it->second = rules.rule_for(symbol->name, path);
        return it->second;
    };
    const GuestArch& guest = guest_arch(rules.arch);
    Flow prev_flow = Flow::other;
    for (uint32_t index : call.stream) {
        const BootInstruction& insn = w.stream[index];
        Flow flow = guest.classify({insn.bytes.data(), insn.size});
        auto hit = symbols.lookup(insn.pc);
        const KernelSymbol* symbol = hit ? hit->symbol : nullptr;
        Phase phase;
        if (symbol && symbol == target) {
            uint64_t offset = hit->offset;
            bool at_site = (offset >= site_begin && offset < site_end) ||
                           (probe_offset && offset == *probe_offset);
            phase = at_site ? Phase::site : Phase::body;
            // A BPF trampoline calling the body (CALL_ORIG: fexit, fmod_ret) takes over the
            // function's return: its own code from its last return before that call is the
            // call of the original (`hijack`, as the models label it), and so is what it runs
            // after the body returns, up to its last return (then the restore, below).
            const KernelSymbol* caller = owner.empty() ? nullptr : owner.back();
            const PhaseRule* caller_rule = caller ? rule_for(caller) : nullptr;
            if (phase == Phase::body && prev_flow == Flow::call && caller_rule &&
                caller_rule->save_dispatch_restore) {
                took_return.insert(caller);
                if (auto from = last_return.find(caller); from != last_return.end())
                    for (size_t i = from->second; i < t.instructions.size(); ++i)
                        if (owner[i] == caller) t.instructions[i].phase = Phase::hijack;
            }
        } else if (flow == Flow::exception_return) {
            phase = Phase::trap_return;
        } else if (const PhaseRule* rule = symbol ? rule_for(symbol) : nullptr) {
            phase = rule->phase;
            if (rule->save_dispatch_restore) {
                if (hit->offset == 0) {
                    called_out.erase(symbol);
                    last_return.erase(symbol);
                    took_return.erase(symbol);
                }
                if (prev_flow == Flow::ret) last_return[symbol] = t.instructions.size();
                if (flow == Flow::call) called_out.insert(symbol);
                phase = took_return.count(symbol)  ? Phase::hijack
                        : called_out.count(symbol) ? Phase::dispatch
                                                   : Phase::save;
            } else if (rule->save_then_restore) {
                // Entered at its first instruction it saves, however it was entered (a return
                // trampoline is entered by the traced function's ret); returned into anywhere
                // else, it restores.
                if (hit->offset == 0) restoring.erase(symbol);
                else if (prev_flow == Flow::ret)
                    restoring.insert(symbol);
                phase = restoring.count(symbol) ? Phase::restore : Phase::save;
            }
        } else {
            // Entered from another function without a call (a tail call: the jump at the end
            // of __bpf_tramp_exit into __rcu_read_unlock), it inherits from the one that
            // jumped: that is the code that called it.
            if (!owner.empty() && owner.back() != symbol && prev_flow == Flow::other &&
                !t.instructions.empty())
                callers.back() = t.instructions.back().phase;
            Phase inherited = callers.back();
            phase = (!symbol || inherited == Phase::site) ? Phase::unmapped : inherited;
        }
        if (phase == Phase::unmapped) ++out.unmapped[symbol ? symbol->name : "?"];

        TraceInstruction ti{};
        ti.pc = insn.pc;
        ti.size = insn.size;
        std::copy_n(insn.bytes.begin(), insn.size, ti.bytes.begin());
        ti.phase = phase;
        ti.first_access = static_cast<uint32_t>(t.accesses.size());
        ti.access_count = insn.access_count;
        ti.trapped = trapped.count(index) > 0;
        for (uint32_t a = 0; a < insn.access_count; ++a) {
            const BootAccess& acc = w.accesses[insn.first_access + a];
            t.accesses.push_back({acc.address, acc.size, acc.is_store, false});
        }
        t.instructions.push_back(ti);
        owner.push_back(symbol);

        if (flow == Flow::call || ti.trapped) {
            if (callers.size() < 4096) callers.push_back(phase);
        } else if ((flow == Flow::ret || flow == Flow::exception_return) && callers.size() > 1) {
            callers.pop_back();
        }
        prev_flow = flow;
    }
    // A BPF trampoline's code after its last return is its epilogue: the restore.
    for (const auto& [symbol, from] : last_return)
        for (size_t i = from; i < t.instructions.size(); ++i)
            if (owner[i] == symbol) t.instructions[i].phase = Phase::restore;
    return out;
}

} // namespace tracesim
