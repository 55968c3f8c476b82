#include "sim/regs_check.h"

#include <cstring>

namespace tracesim {

namespace {

// pt_regs' name for the field holding `reg` ("rax" -> "ax", "x29" -> "x29"), so the matrix lines
// up fields of different structs that hold the same register.
std::string row_name(const Isa& isa, std::string_view reg, std::string_view fallback) {
    if (const StructLayout* regs = isa.layout("pt_regs"))
        for (const StructField& f : regs->fields)
            if (!reg.empty() && f.mirrors == reg) return std::string(f.name);
    return std::string(fallback);
}

bool is_pc(std::string_view reg) {
    return reg == "rip" || reg == "pc";
}
bool is_sp(std::string_view reg) {
    return reg == "rsp" || reg == "sp";
}
bool is_flags(std::string_view reg) {
    return reg == "rflags" || reg == "pstate";
}

} // namespace

RegsObserver::RegsObserver(Machine& machine, const PathSpec& path, bool poke)
    : machine_(machine), path_(path), poke_(poke) {
    const Image& image = machine.image();
    site_ = image.address_of(path.site_at);
    entry_handler_ = image.address_of("tracer_entry_func");
    exit_handler_ = image.address_of("tracer_exit_func");
    return_address_ = image.address_of("driver_done");
}

void RegsObserver::on_run_begin(uint64_t) {
    entry_truth_ = {};
    exit_truth_ = {};
    entry_ = {};
    exit_ = {};
    written_.clear();
    stores_ = 0;
    exit_since_ = 0;
    hardware_values_.clear();
    previous_phase_.reset();
    awaiting_resume_ = false;
    pending_write_back_.clear();
    checks_.clear();
}

RegsObserver::Truth RegsObserver::capture() const {
    const Isa& isa = machine_.isa();
    Truth t;
    t.captured = true;
    for (const Register& r : isa.gprs)
        t.values[std::string(r.name)] = machine_.read(r);
    for (const Register* r : {&isa.sp, &isa.pc, &isa.flags})
        t.values[std::string(r->name)] = machine_.read(*r);
    for (const Register& r : isa.named_state)
        t.values[std::string(r.name)] = machine_.read(r);
    return t;
}

void RegsObserver::snapshot(Snapshot& s, const std::string& regs_struct) {
    const Isa& isa = machine_.isa();
    const StructLayout* layout = isa.layout(regs_struct);
    if (!layout) return;
    s.taken = true;
    s.regs_struct = regs_struct;
    s.address = machine_.read(*isa.reg(isa.arg_regs[3]));
    s.bytes.assign(layout->size, 0);
    if (!machine_.read_memory(s.address, s.bytes)) s.bytes.clear(); // not memory: reported below
    s.written.assign(layout->size, 0);
    s.store_seq.assign(layout->size, 0);
    for (uint32_t i = 0; i < layout->size; ++i)
        if (auto it = written_.find(s.address + i); it != written_.end()) {
            s.written[i] = it->second.first;
            s.store_seq[i] = it->second.second;
        }
}

void RegsObserver::poke(Snapshot& s, const Truth& truth) {
    const Isa& isa = machine_.isa();
    const StructLayout* layout = isa.layout(s.regs_struct);
    if (!layout || s.bytes.empty()) return;
    uint64_t n = 0;
    for (const StructField& f : layout->fields) {
        // Not poked: what steers control flow (sp, pc, the link register) and the frame pointer,
        // which fgraph matches against its shadow stack on return.
        if (f.size != 8 || f.mirrors.empty() || is_sp(f.mirrors) || is_pc(f.mirrors) ||
            f.mirrors == "x30" || f.mirrors == "x29" || f.mirrors == "rbp")
            continue;
        // Flags: what a handler flipping a few bits of the real state would write.
        uint64_t marker = is_flags(f.mirrors)
                              ? truth.values.at(std::string(f.mirrors)) ^ isa.poke_flag_mask
                              : 0xfeed'0000'0000'0000ull | ++n;
        uint8_t bytes[8];
        std::memcpy(bytes, &marker, 8);
        if (machine_.write_memory(s.address + f.offset, bytes))
            s.markers[std::string(f.name)] = marker;
    }
}

void RegsObserver::compare_pokes(Snapshot& s, const Truth& resumed) {
    const StructLayout* layout = machine_.isa().layout(s.regs_struct);
    for (const auto& [name, marker] : s.markers) {
        const StructField* f = layout->field(name);
        uint64_t now = resumed.values.at(std::string(f->mirrors));
        std::string verdict;
        if (!is_flags(f->mirrors)) {
            verdict = now == marker ? "takes effect" : "ignored";
        } else {
            std::vector<std::string> took, lost;
            const Isa& isa = machine_.isa();
            for (const FlagBit& b : isa.flag_bits) {
                if (!(isa.poke_flag_mask >> b.low & 1)) continue;
                (b.of(now) == b.of(marker) ? took : lost).emplace_back(b.name);
            }
            verdict = lost.empty()   ? "takes effect"
                      : took.empty() ? "ignored"
                                     : fmt::format("partly: {} take effect; {} ignored",
                                                   fmt::join(took, ", "), fmt::join(lost, ", "));
        }
        pending_write_back_[&s == &entry_ ? "entry" : "exit"][name] = verdict;
    }
}

void RegsObserver::on_instruction(const InstructionEvent& event) {
    const Image& image = machine_.image();
    std::optional<Phase> phase = image.phase_at(event.pc);
    if (!entry_truth_.captured && site_ && event.pc == *site_) {
        entry_truth_ = capture();
        entry_truth_.values[std::string(machine_.isa().pc.name)] = event.pc;
    }
    if (!exit_truth_.captured && !path_.exit_regs_struct.empty() &&
        previous_phase_ == Phase::body && phase != Phase::body) {
        exit_truth_ = capture();
        exit_truth_.values[std::string(machine_.isa().pc.name)] = return_address_.value_or(0);
        exit_since_ = stores_ + 1; // the exit struct is built after the function returned
    }
    if (entry_handler_ && event.pc == *entry_handler_ && !entry_.taken &&
        path_.regs_struct != "none") {
        snapshot(entry_, path_.regs_struct);
        if (poke_) {
            poke(entry_, entry_truth_);
            awaiting_resume_ = true;
        }
    } else if (exit_handler_ && event.pc == *exit_handler_ && !exit_.taken &&
               !path_.exit_regs_struct.empty()) {
        snapshot(exit_, path_.exit_regs_struct);
        if (poke_) poke(exit_, exit_truth_);
    }
    // The traced code resumes: whatever the path restored is in the registers now.
    if (awaiting_resume_ && phase == Phase::body) {
        compare_pokes(entry_, capture());
        awaiting_resume_ = false;
    }
    previous_phase_ = phase;
}

void RegsObserver::on_memory(const MemoryEvent& event) {
    if (!event.is_store) return;
    ++stores_;
    for (uint32_t i = 0; i < event.size; ++i)
        written_[event.address + i] = {event.by_hardware ? 2 : 1, stores_};
    if (event.by_hardware) hardware_values_.insert(event.value);
}

void RegsObserver::on_run_end(uint64_t) {
    if (poke_ && !exit_.markers.empty()) compare_pokes(exit_, capture()); // back in the caller
    checks_.clear();
    if (entry_.taken) classify(entry_, entry_truth_, "entry", 0);
    if (exit_.taken) classify(exit_, exit_truth_, "exit", exit_since_);
}

void RegsObserver::classify(const Snapshot& s, const Truth& struct_truth, const std::string& at,
                            uint64_t since) {
    const Isa& isa = machine_.isa();
    const StructLayout* layout = isa.layout(s.regs_struct);
    std::set<std::string> mirrored;
    for (const StructField& f : layout->fields) {
        FieldCheck c{
            s.regs_struct,      at,           std::string(f.name), row_name(isa, f.mirrors, f.name),
            FieldStatus::faked, std::nullopt, std::nullopt,        {},
            std::nullopt};
        uint64_t seen = 0;
        if (!s.bytes.empty())
            std::memcpy(&seen, s.bytes.data() + f.offset, std::min<uint32_t>(f.size, 8));
        c.seen = seen;
        // Fields that keep the call's entry state are judged against it, and may have been
        // written before the function ran.
        const Truth& truth = f.at_entry ? entry_truth_ : struct_truth;
        const uint64_t written_since = f.at_entry ? 0 : since;
        std::string truth_name(f.mirrors);
        if (truth_name.empty())
            for (const Register& r : isa.named_state)
                if (r.name == f.name) truth_name = f.name;
        if (!f.mirrors.empty()) mirrored.insert(std::string(f.mirrors));
        if (auto t = truth.values.find(truth_name); !truth_name.empty() && t != truth.values.end())
            c.expected = t->second & (f.size >= 8 ? ~0ull : (1ull << (8 * f.size)) - 1);
        uint8_t writer = 0;
        for (uint32_t i = f.offset; i < f.offset + f.size && i < s.written.size(); ++i)
            if (s.store_seq[i] >= written_since) writer = std::max(writer, s.written[i]);
        if (writer == 0) {
            c.status = FieldStatus::stale;
        } else if (!c.expected) {
            c.status = writer == 2 ? FieldStatus::exact : FieldStatus::faked;
        } else if (seen == *c.expected) {
            // The CPU saved it, here or in the exception frame the entry code copied it from.
            if (writer == 2 || hardware_values_.count(seen))
                c.status = FieldStatus::exact;
            else if (f.mirrors.empty())
                c.status = FieldStatus::faked; // a constant that matches
            else if (is_sp(f.mirrors) || is_pc(f.mirrors))
                c.status = FieldStatus::derived;
            else
                c.status = FieldStatus::exact; // a register copy
        } else if (is_pc(f.mirrors) && seen > *c.expected && seen - *c.expected <= 8) {
            c.status = FieldStatus::derived; // points into the probed site
        } else if (is_flags(f.mirrors)) {
            size_t right = 0;
            for (const FlagBit& b : isa.flag_bits) {
                if (b.of(seen) == b.of(*c.expected))
                    ++right;
                else
                    c.lost_bits.emplace_back(b.name);
            }
            c.status =
                right > 0 && !c.lost_bits.empty() ? FieldStatus::partial : FieldStatus::faked;
        } else {
            c.status = FieldStatus::faked;
        }
        auto wb = pending_write_back_.find(at);
        if (wb != pending_write_back_.end())
            if (auto v = wb->second.find(c.field); v != wb->second.end()) c.write_back = v->second;
        checks_.push_back(std::move(c));
    }
    // Architectural registers the struct has no field for.
    std::vector<const Register*> regs;
    for (const Register& r : isa.gprs)
        regs.push_back(&r);
    for (const Register* r : {&isa.sp, &isa.pc, &isa.flags})
        regs.push_back(r);
    for (const Register* r : regs) {
        if (mirrored.count(std::string(r->name))) continue;
        FieldCheck c{s.regs_struct,        at,
                     std::string(r->name), row_name(isa, r->name, r->name),
                     FieldStatus::absent,  std::nullopt,
                     std::nullopt,         {},
                     std::nullopt};
        if (auto t = struct_truth.values.find(std::string(r->name)); t != struct_truth.values.end())
            c.expected = t->second;
        checks_.push_back(std::move(c));
    }
}

} // namespace tracesim
