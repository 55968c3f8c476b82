#include "timing/branch_model.h"

namespace tracesim {

BranchModel::BranchModel(uint32_t return_stack_entries)
    : stack_(return_stack_entries ? return_stack_entries : 1, 0) {}

void BranchModel::push(uint64_t address) {
    top_ = (top_ + 1) % stack_.size();
    stack_[top_] = address;
    if (count_ < stack_.size()) ++count_;
}

MispredictKind BranchModel::execute(BranchKind kind, uint64_t pc, uint64_t fall_through,
                                    uint64_t next_pc) {
    MispredictKind out = predict(kind, pc, fall_through, next_pc);
    // Path history: every taken control transfer other than a conditional adds 4 bits of its
    // PC (conditionals add their outcome in predict()).
    if (kind != BranchKind::none && kind != BranchKind::conditional)
        history_ = (history_ << 4) ^ ((pc >> 2) & 0xf);
    return out;
}

MispredictKind BranchModel::predict(BranchKind kind, uint64_t pc, uint64_t fall_through,
                                    uint64_t next_pc) {
    switch (kind) {
    case BranchKind::none:
    case BranchKind::jump:
    case BranchKind::exception_return:
        return MispredictKind::none;
    case BranchKind::call:
        push(fall_through);
        return MispredictKind::none;
    case BranchKind::ret: {
        if (count_ == 0) return MispredictKind::ret;
        uint64_t predicted = stack_[top_];
        top_ = (top_ + stack_.size() - 1) % stack_.size();
        --count_;
        return predicted == next_pc ? MispredictKind::none : MispredictKind::ret;
    }
    case BranchKind::indirect_jump:
    case BranchKind::indirect_call: {
        if (kind == BranchKind::indirect_call) push(fall_through);
        auto [it, inserted] = indirect_targets_.try_emplace({pc, history_}, next_pc);
        bool hit = !inserted && it->second == next_pc;
        it->second = next_pc;
        return hit ? MispredictKind::none : MispredictKind::indirect;
    }
    case BranchKind::conditional: {
        bool taken = next_pc != fall_through;
        auto [it, inserted] = directions_.try_emplace({pc, history_}, false);
        bool predicted = it->second; // unseen: not taken
        it->second = taken;
        history_ = (history_ << 1) | (taken ? 1 : 0);
        return predicted == taken ? MispredictKind::none : MispredictKind::conditional;
    }
    }
    return MispredictKind::none;
}

void BranchModel::clear() {
    std::fill(stack_.begin(), stack_.end(), 0);
    top_ = 0;
    count_ = 0;
    indirect_targets_.clear();
    directions_.clear();
    history_ = 0;
}

} // namespace tracesim
