// Register truth: what the handler is given versus what the CPU really held.
//
// At the instant the probe fires (the patched site executes; for exit structs, the instant the
// traced function returns) the observer records the true architectural state. When a handler
// starts it snapshots the struct it was given (4th argument register) and which of its bytes
// this call wrote, and by whom (an instruction or the modeled exception entry). Every field
// is then classified:
//
//   exact    equals the true value; a register copy, or written by the exception hardware
//   derived  computed by the path and equal to the truth (sp), or pointing into the probed site
//            (ip = site + 5 after `call __fentry__`, int3's ip = address + 1)
//   faked    written, but not from the CPU: a constant (cs = __KERNEL_CS, pc = 0) or a wrong value
//   stale    never written on this path: whatever the memory held (the stack is poisoned 0x5a..)
//   partial  flags/PSTATE with some bits right and some lost (lost_bits names them)
//   absent   the struct has no field for this architectural register
//
// With poking on, the observer then writes a marker into every register field the handler could
// change (not sp, pc/ip or the link register) and, when the traced code resumes, reports whether
// each write took effect or was ignored by the path's restore.
#pragma once

#include "sim/catalogue.h"
#include "sim/events.h"
#include "sim/machine.h"
#include "sim/results.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tracesim {

class RegsObserver : public ExecListener {
  public:
    RegsObserver(Machine& machine, const PathSpec& path, bool poke);

    void on_run_begin(uint64_t initial_sp) override;
    void on_instruction(const InstructionEvent& event) override;
    void on_memory(const MemoryEvent& event) override;
    void on_run_end(uint64_t stop_pc) override;

    // The classification of the last run, entry struct first.
    const std::vector<FieldCheck>& checks() const { return checks_; }

  private:
    struct Truth {
        bool captured = false;
        std::map<std::string, uint64_t, std::less<>> values; // register name -> value
    };
    struct Snapshot {
        bool taken = false;
        std::string regs_struct;
        uint64_t address = 0;
        std::vector<uint8_t> bytes;
        std::vector<uint8_t> written;    // per byte: 0 never, 1 by an instruction, 2 by hardware
        std::vector<uint64_t> store_seq; // per byte: which store of the call wrote it last
        std::map<std::string, uint64_t> markers; // field -> value poked into it
    };

    Truth capture() const;
    void snapshot(Snapshot& s, const std::string& regs_struct);
    void poke(Snapshot& s, const Truth& truth);
    void compare_pokes(Snapshot& s, const Truth& resumed);
    // `since`: only stores from this one on count as writing the struct (the exit struct is
    // built after the function returned; what the entry path left on that stack is stale).
    void classify(const Snapshot& s, const Truth& truth, const std::string& at, uint64_t since);

    Machine& machine_;
    const PathSpec& path_;
    bool poke_;
    std::optional<uint64_t> site_, entry_handler_, exit_handler_, return_address_;
    Truth entry_truth_, exit_truth_;
    Snapshot entry_, exit_;
    // byte address -> (1 instruction / 2 hardware, sequence number of the store), this call
    std::map<uint64_t, std::pair<uint8_t, uint64_t>> written_;
    uint64_t stores_ = 0;
    uint64_t exit_since_ = 0;
    std::set<uint64_t> hardware_values_; // values the exception hardware stored, this call
    std::optional<Phase> previous_phase_;
    bool awaiting_resume_ = false;
    std::map<std::string, std::map<std::string, std::string>>
        pending_write_back_; // at -> field -> verdict
    std::vector<FieldCheck> checks_;
};

} // namespace tracesim
