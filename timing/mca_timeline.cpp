// The only translation unit of timing/ that includes LLVM MCA.
#include "timing/mca_timeline.h"

#include "isa/isa.h"
#include "isa/llvm_target.h"
#include "timing/override_table.h"

#include "llvm/MC/MCSchedule.h"
#include "llvm/MCA/Context.h"
#include "llvm/MCA/CustomBehaviour.h"
#include "llvm/MCA/HWEventListener.h"
#include "llvm/MCA/InstrBuilder.h"
#include "llvm/MCA/Instruction.h"
#include "llvm/MCA/Pipeline.h"
#include "llvm/MCA/SourceMgr.h"
#include "llvm/Support/Error.h"

#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>
#include <unordered_map>

namespace tracesim {

Expected<bool> llvm_model_is_out_of_order(Arch arch, const std::string& cpu) {
    std::string error;
    auto target = LlvmTarget::create(arch, cpu, error);
    if (!target) return make_error("{}", error);
    const llvm::MCSchedModel& model = target->subtarget->getSchedModel();
    if (!model.hasInstrSchedModel())
        return make_error("LLVM 19 has no instruction scheduling model for '{}'", cpu);
    return model.isOutOfOrder();
}

namespace {

struct StaticKey {
    uint64_t pc;
    uint8_t size;
    std::array<uint8_t, 15> bytes;
    bool operator==(const StaticKey&) const = default;
};

struct StaticKeyHash {
    size_t operator()(const StaticKey& k) const {
        uint64_t h = k.pc * 0x9e3779b97f4a7c15ULL ^ k.size;
        for (uint8_t i = 0; i < k.size && i < 15; ++i)
            h = (h ^ k.bytes[i]) * 0x100000001b3ULL;
        return static_cast<size_t>(h);
    }
};

// x86 scheduling models give microcoded and system instructions (WriteSystem, WriteMicrocoded)
// a 100-cycle, 100-uop placeholder: that is not a price.
constexpr int placeholder_latency = 100;

// Opcodes the scheduling models lump into WriteSys / WriteBarrier / WriteHint-like 1-cycle
// classes although they access system state (the Isa lists them: arm64 MRS, MSR, ERET, ...):
// priced only through the override table.
bool is_default_priced(const PricingTraits& pricing, llvm::StringRef opcode) {
    for (std::string_view prefix : pricing.default_priced_opcodes)
        if (opcode.starts_with(llvm::StringRef(prefix.data(), prefix.size()))) return true;
    return false;
}

// Records the cycle of every pipeline event, by the instruction's index in the segment.
class StageRecorder : public llvm::mca::HWEventListener {
  public:
    explicit StageRecorder(std::vector<StageCycles>& out) : out_(out) {}
    void onCycleEnd() override { ++cycle_; }
    void onEvent(const llvm::mca::HWInstructionEvent& event) override {
        using E = llvm::mca::HWInstructionEvent;
        size_t index = event.IR.getSourceIndex();
        if (index >= out_.size()) return;
        StageCycles& s = out_[index];
        switch (event.Type) {
        case E::Dispatched:
            s.dispatched = cycle_;
            break;
        case E::Issued:
            s.issued = cycle_;
            break;
        case E::Executed:
            s.executed = cycle_;
            break;
        case E::Retired:
            s.retired = cycle_;
            break;
        default:
            break;
        }
    }

  private:
    std::vector<StageCycles>& out_;
    uint32_t cycle_ = 0;
};

// A copy of `from` whose latency (the instruction's and every register write's) is `cycles`.
std::unique_ptr<llvm::mca::InstrDesc> retimed_desc(const llvm::mca::InstrDesc& from,
                                                   unsigned cycles) {
    auto d = std::make_unique<llvm::mca::InstrDesc>();
    d->Writes = from.Writes;
    d->Reads = from.Reads;
    d->Resources = from.Resources;
    d->UsedBuffers = from.UsedBuffers;
    d->UsedProcResUnits = from.UsedProcResUnits;
    d->UsedProcResGroups = from.UsedProcResGroups;
    d->NumMicroOps = from.NumMicroOps;
    d->SchedClassID = from.SchedClassID;
    d->MustIssueImmediately = from.MustIssueImmediately;
    d->HasPartiallyOverlappingGroups = from.HasPartiallyOverlappingGroups;
    d->IsRecyclable = false;
    d->MaxLatency = cycles;
    for (auto& write : d->Writes)
        write.Latency = cycles;
    return d;
}

} // namespace

struct McaTimeline::Impl {
    const CoreProfile& profile;
    OverrideTable overrides;
    std::unique_ptr<LlvmTarget> target;
    std::unique_ptr<llvm::mca::InstrumentManager> instruments;
    std::unique_ptr<llvm::mca::InstrBuilder> builder;
    llvm::SmallVector<llvm::mca::Instrument*> no_instruments;
    llvm::MCInst nop;

    std::unordered_map<StaticKey, uint32_t, StaticKeyHash> index_of;
    std::vector<StaticInstruction> statics;
    std::vector<llvm::MCInst> lowered; // what MCA runs for each static (the NOP if unpriced)
    std::vector<std::unique_ptr<llvm::mca::InstrDesc>> retimed; // non-null: override latency
    uint64_t pipelines = 0;
    uint64_t simulated = 0;

    Impl(const CoreProfile& p) : profile(p), overrides(p) {}

    Expected<void> init();
    void classify(StaticInstruction& s, const llvm::MCInst& inst);
    Expected<std::unique_ptr<llvm::mca::Instruction>> instantiate(uint32_t index);
    Expected<uint32_t> run_segment(std::span<const uint32_t> segment, uint32_t offset,
                                   std::span<StageCycles> out);
};

Expected<void> McaTimeline::Impl::init() {
    std::string error;
    target = LlvmTarget::create(profile.arch, profile.llvm_cpu, error);
    if (!target) return make_error("core {}: {}", profile.name, error);
    const auto& t = *target;
    instruments.reset(t.target->createInstrumentManager(*t.subtarget, *t.instr_info));
    if (!instruments)
        instruments = std::make_unique<llvm::mca::InstrumentManager>(*t.subtarget, *t.instr_info);
    builder = std::make_unique<llvm::mca::InstrBuilder>(
        *t.subtarget, *t.instr_info, *t.register_info, t.instr_analysis.get(), *instruments,
        static_cast<unsigned>(profile.call_latency.value));

    // Instructions used to price: a NOP (stand-in for unpriced ones), a call and a return.
    const std::vector<uint8_t>& nop_call_ret = isa_for(profile.arch).pricing.nop_call_ret;
    const uint8_t* code = nop_call_ret.data();
    size_t code_size = nop_call_ret.size();
    llvm::MCInst call, ret;
    uint64_t n1 = t.decode(code, code_size, 0, nop);
    uint64_t n2 = n1 ? t.decode(code + n1, code_size - n1, n1, call) : 0;
    uint64_t n3 = n2 ? t.decode(code + n1 + n2, code_size - n1 - n2, n1 + n2, ret) : 0;
    if (!n3) return make_error("core {}: cannot decode nop/call/ret", profile.name);

    // LLVM 19's InstrBuilder warns on stderr at the first call and the first return it lowers
    // (no switch exists). Lower one of each now, with stderr pointed at /dev/null, so that the
    // builder never prints. Serialised: stderr is process-wide.
    static std::mutex stderr_mutex;
    std::lock_guard lock(stderr_mutex);
    std::fflush(stderr);
    int saved = dup(2);
    int null_fd = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null_fd >= 0) dup2(null_fd, 2);
    auto c = builder->createInstruction(call, no_instruments);
    auto r = builder->createInstruction(ret, no_instruments);
    auto n = builder->createInstruction(nop, no_instruments);
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    if (null_fd >= 0) close(null_fd);
    bool ok = c && r && n;
    if (!c) llvm::consumeError(c.takeError());
    if (!r) llvm::consumeError(r.takeError());
    if (!n) llvm::consumeError(n.takeError());
    if (!ok) return make_error("core {}: MCA cannot lower nop/call/ret", profile.name);
    return {};
}

void McaTimeline::Impl::classify(StaticInstruction& s, const llvm::MCInst& inst) {
    const llvm::MCInstrDesc& desc = target->instr_info->get(inst.getOpcode());
    std::string normalised = normalise_disassembly(s.text);
    uint64_t branch_target = 0;
    if (normalised.starts_with("iret") || normalised.starts_with("eret"))
        s.branch = BranchKind::exception_return;
    else if (desc.isReturn())
        s.branch = BranchKind::ret;
    else if (desc.isCall())
        s.branch = target->instr_analysis &&
                           target->instr_analysis->evaluateBranch(inst, s.pc, s.size, branch_target)
                       ? BranchKind::call
                       : BranchKind::indirect_call;
    else if (desc.isIndirectBranch())
        s.branch = BranchKind::indirect_jump;
    else if (desc.isConditionalBranch())
        s.branch = BranchKind::conditional;
    else if (desc.isBranch())
        s.branch = BranchKind::jump;

    s.override_index = overrides.match_index(normalised);
    if (s.override_index >= 0)
        s.serializing = profile.overrides[static_cast<size_t>(s.override_index)].serializing;

    // Does the scheduling model price it? (The same resolution InstrBuilder performs.)
    const PricingTraits& pricing = isa_for(profile.arch).pricing;
    const llvm::MCSubtargetInfo& sti = *target->subtarget;
    const llvm::MCSchedModel& model = sti.getSchedModel();
    unsigned sched_class = instruments->getSchedClassID(*target->instr_info, inst, no_instruments);
    while (sched_class && model.getSchedClassDesc(sched_class)->isVariant())
        sched_class = sti.resolveVariantSchedClass(sched_class, &inst, target->instr_info.get(),
                                                   model.getProcessorID());
    const llvm::MCSchedClassDesc* sc = sched_class ? model.getSchedClassDesc(sched_class) : nullptr;
    int latency = sc && sc->isValid() ? llvm::MCSchedModel::computeInstrLatency(sti, *sc) : -1;
    if (!sc || !sc->isValid())
        s.unpriced = Unpriced::unsupported;
    else if (!desc.isCall() && latency < 0)
        s.unpriced = Unpriced::unknown_latency;
    else if (!desc.isCall() && pricing.placeholder_latencies && latency >= placeholder_latency)
        s.unpriced = Unpriced::placeholder;
    else if (is_default_priced(pricing, target->instr_info->getName(inst.getOpcode())))
        s.unpriced = Unpriced::system_default;
    if (s.unpriced == Unpriced::unsupported) return; // checked below by lowering, too
    auto lowered_ok = builder->createInstruction(inst, no_instruments);
    if (!lowered_ok) {
        llvm::consumeError(lowered_ok.takeError());
        s.unpriced = Unpriced::unsupported;
    }
}

uint32_t McaTimeline::intern(const TraceInstruction& insn) {
    Impl& m = *impl_;
    StaticKey key{insn.pc, insn.size, insn.bytes};
    auto [it, inserted] = m.index_of.try_emplace(key, static_cast<uint32_t>(m.statics.size()));
    if (!inserted) return it->second;

    StaticInstruction s;
    s.pc = insn.pc;
    s.size = insn.size;
    s.bytes = insn.bytes;
    llvm::MCInst inst;
    // A `lock` prefix stays in the text, so a core override ("lock ") can price the locked
    // read-modify-write, which no LLVM model tells apart from the plain one.
    auto whole = m.target->decode_whole(insn.bytes.data(), insn.size, insn.pc, inst);
    if (whole.size == 0 || whole.size != insn.size) {
        s.unpriced = Unpriced::not_decoded;
        s.text = "(not decoded)";
        inst = m.nop;
    } else {
        s.text = m.target->print_whole(inst, whole, insn.pc);
        m.classify(s, inst);
        // ENDBR64 (f3 0f 1e fa, in the reserved-NOP space) executes nothing: a NOP where IBT is
        // absent or off, a marker the decoder checks where it is on. LLVM's x86 models give it
        // the 100-cycle placeholder, which an IBT kernel (every function entry) would pay per
        // call: it runs as the NOP it is.
        if (s.text.starts_with("endbr64")) {
            inst = m.nop;
            s.unpriced = Unpriced::no;
        }
    }
    // Overrides price what MCA cannot: an overridden instruction is never unpriced. What MCA
    // cannot run at all runs as a NOP (priced by the override if there is one).
    bool mca_can_run = s.unpriced != Unpriced::not_decoded && s.unpriced != Unpriced::unsupported;
    if (s.override_index >= 0) s.unpriced = Unpriced::no;
    if (!mca_can_run) inst = m.nop;
    std::unique_ptr<llvm::mca::InstrDesc> desc;
    if (s.override_index >= 0 && !s.serializing) {
        auto base = m.builder->createInstruction(inst, m.no_instruments);
        if (base) {
            auto cycles = m.profile.overrides[static_cast<size_t>(s.override_index)].cycles.value;
            desc = retimed_desc((*base)->getDesc(), static_cast<unsigned>(cycles));
        } else { // cannot happen: it was lowered in classify()
            llvm::consumeError(base.takeError());
        }
    }
    // x86 stack engine: push, pop, call, ret, pushfq and popfq update RSP in the front end, so a
    // run of pops does not wait on RSP. LLVM's models give that write the instruction's full
    // (load) latency and chain the pops (15 pops: ~76 modeled cycles, 11 measured on this
    // machine's Zen 4; docs/calibration.md). Every x86 profile gets RSP latency 0 for them.
    if (isa_for(m.profile.arch).pricing.stack_engine && !s.serializing && mca_can_run) {
        auto base = m.builder->createInstruction(inst, m.no_instruments);
        if (base) {
            const llvm::mca::InstrDesc& from = desc ? *desc : (*base)->getDesc();
            const llvm::MCRegisterInfo& mri = *m.target->register_info;
            bool rsp = false;
            for (const auto& w : from.Writes)
                rsp = rsp ||
                      (w.isImplicitWrite() && std::string_view(mri.getName(w.RegisterID)) == "RSP");
            if (rsp) {
                auto d = retimed_desc(from, from.MaxLatency);
                for (size_t k = 0; k < d->Writes.size(); ++k)
                    d->Writes[k].Latency =
                        d->Writes[k].isImplicitWrite() &&
                                std::string_view(mri.getName(d->Writes[k].RegisterID)) == "RSP"
                            ? 0
                            : from.Writes[k].Latency;
                desc = std::move(d);
            }
        } else {
            llvm::consumeError(base.takeError());
        }
    }
    m.statics.push_back(std::move(s));
    m.lowered.push_back(inst);
    m.retimed.push_back(std::move(desc));
    return it->second;
}

const StaticInstruction& McaTimeline::at(uint32_t index) const {
    return impl_->statics[index];
}

// A fresh mca::Instruction for static `index` (pipelines consume their instructions).
Expected<std::unique_ptr<llvm::mca::Instruction>> McaTimeline::Impl::instantiate(uint32_t index) {
    const llvm::MCInst& inst = lowered[index];
    auto base = builder->createInstruction(inst, no_instruments);
    if (!base) {
        std::string message = llvm::toString(base.takeError());
        return make_error("MCA cannot lower '{}' at {:#x}: {}", statics[index].text,
                          statics[index].pc, message);
    }
    const llvm::mca::InstrDesc* desc = retimed[index].get();
    if (!desc) return std::move(*base);

    // Rebuild it on the retimed descriptor: the same reads and writes, the override's latency.
    const llvm::mca::Instruction& from = **base;
    const llvm::mca::InstrDesc& from_desc = from.getDesc();
    auto out = std::make_unique<llvm::mca::Instruction>(*desc, from.getOpcode());
    out->setMayLoad(from.getMayLoad());
    out->setMayStore(from.getMayStore());
    out->setHasSideEffects(from.getHasSideEffects());
    out->setBeginGroup(from.getBeginGroup());
    out->setEndGroup(from.getEndGroup());
    out->setRetireOOO(from.getRetireOOO());
    if (from.isOptimizableMove()) out->setOptimizableMove();
    for (const llvm::mca::ReadState& read : from.getUses()) {
        size_t k = static_cast<size_t>(&read.getDescriptor() - from_desc.Reads.data());
        out->getUses().emplace_back(desc->Reads[k], read.getRegisterID());
        if (read.isIndependentFromDef()) out->getUses().back().setIndependentFromDef();
    }
    // Writes were created in descriptor order, skipping absent optional defs and constant
    // registers (InstrBuilder::createInstruction); pair them up the same way.
    const llvm::MCRegisterInfo& mri = *target->register_info;
    size_t made = 0;
    for (size_t k = 0; k < from_desc.Writes.size(); ++k) {
        const llvm::mca::WriteDescriptor& wd = from_desc.Writes[k];
        unsigned reg = wd.isImplicitWrite()
                           ? wd.RegisterID
                           : inst.getOperand(static_cast<unsigned>(wd.OpIndex)).getReg();
        if ((wd.IsOptionalDef && !reg) || mri.isConstant(reg)) continue;
        if (made >= from.getDefs().size()) break;
        const llvm::mca::WriteState& write = from.getDefs()[made++];
        out->getDefs().emplace_back(desc->Writes[k], write.getRegisterID(),
                                    write.clearsSuperRegisters(), write.isWriteZero());
    }
    if (made != from.getDefs().size())
        return make_error("internal: cannot retime '{}' (writes do not pair up)",
                          statics[index].text);
    return out;
}

Expected<uint32_t> McaTimeline::Impl::run_segment(std::span<const uint32_t> segment,
                                                  uint32_t offset, std::span<StageCycles> out) {
    llvm::SmallVector<std::unique_ptr<llvm::mca::Instruction>, 0> insts;
    insts.reserve(segment.size());
    for (uint32_t index : segment) {
        auto inst = instantiate(index);
        if (!inst) return inst.take_error();
        insts.push_back(std::move(*inst));
    }
    const LlvmTarget& t = *target;
    llvm::mca::CircularSourceMgr source(insts, 1);
    std::unique_ptr<llvm::mca::CustomBehaviour> behaviour(
        t.target->createCustomBehaviour(*t.subtarget, source, *t.instr_info));
    if (!behaviour)
        behaviour =
            std::make_unique<llvm::mca::CustomBehaviour>(*t.subtarget, source, *t.instr_info);
    llvm::mca::Context context(*t.register_info, *t.subtarget);
    // 0 = the scheduling model's own sizes; loads do not alias older stores (llvm-mca default).
    llvm::mca::PipelineOptions options(0, 0, 0, 0, 0, 0, /*NoAlias=*/true);
    auto pipeline = t.subtarget->getSchedModel().isOutOfOrder()
                        ? context.createDefaultPipeline(options, source, *behaviour)
                        : context.createInOrderPipeline(options, source, *behaviour);
    std::vector<StageCycles> stages(segment.size());
    StageRecorder recorder(stages);
    pipeline->addEventListener(&recorder);
    llvm::Expected<unsigned> cycles = pipeline->run();
    if (!cycles) return make_error("MCA pipeline: {}", llvm::toString(cycles.takeError()));
    ++pipelines;
    simulated += segment.size();
    for (size_t i = 0; i < segment.size(); ++i) {
        StageCycles s = stages[i];
        // An instruction of more micro-ops than the dispatch width is reported dispatched when
        // its last micro-op goes, possibly after it started issuing: show the earlier cycle.
        s.dispatched = std::min(s.dispatched, s.issued);
        out[i] = {s.dispatched + offset, s.issued + offset, s.executed + offset,
                  s.retired + offset};
    }
    return *cycles;
}

Expected<BaseTimeline> McaTimeline::run(std::span<const uint32_t> sequence) {
    Impl& m = *impl_;
    BaseTimeline out;
    out.stages.resize(sequence.size());
    uint32_t now = 0;
    size_t begin = 0;
    auto flush = [&](size_t end) -> Expected<void> {
        if (end == begin) return {};
        auto cycles = m.run_segment(sequence.subspan(begin, end - begin), now,
                                    std::span(out.stages).subspan(begin, end - begin));
        if (!cycles) return cycles.take_error();
        now += *cycles;
        return {};
    };
    for (size_t i = 0; i < sequence.size(); ++i) {
        const StaticInstruction& s = m.statics[sequence[i]];
        if (!s.serializing) continue;
        if (auto ok = flush(i); !ok) return ok.take_error();
        // Alone on a drained machine: starts now, done `cycles` later.
        auto cycles = static_cast<uint32_t>(
            m.profile.overrides[static_cast<size_t>(s.override_index)].cycles.value);
        out.stages[i] = {now, now, now + cycles - 1, now + cycles - 1};
        now += cycles;
        begin = i + 1;
    }
    if (auto ok = flush(sequence.size()); !ok) return ok.take_error();
    out.cycles = now;
    return out;
}

Expected<std::unique_ptr<McaTimeline>> McaTimeline::create(const CoreProfile& profile) {
    auto impl = std::make_unique<Impl>(profile);
    if (auto ok = impl->init(); !ok) return ok.take_error();
    return std::unique_ptr<McaTimeline>(new McaTimeline(std::move(impl)));
}

McaTimeline::McaTimeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
McaTimeline::~McaTimeline() = default;
uint64_t McaTimeline::pipelines_run() const {
    return impl_->pipelines;
}
uint64_t McaTimeline::instructions_simulated() const {
    return impl_->simulated;
}
uint64_t McaTimeline::distinct_instructions() const {
    return impl_->statics.size();
}

} // namespace tracesim
