#include "report/ground_truth.h"

#include "report/table.h"

namespace tracesim {

namespace {

std::string percent(double off) {
    return fmt::format("{:.0f}%", 100 * off);
}

} // namespace

std::string render_ground_truth(const std::vector<TruthComparison>& rows, bool markdown) {
    TextTable table({"arch", "booted path", "kernel", "model", "instrs model", "instrs booted",
                     "off", "worst phase", "model", "booted", "off", "within 10%"},
                    {false, false, false, false, true, true, true, false, true, true, true, false});
    size_t within = 0;
    for (const TruthComparison& c : rows) {
        const TruthPhase* worst = nullptr;
        for (const TruthPhase& p : c.phases)
            if (c.worst && p.phase == *c.worst) worst = &p;
        // nothing compared is not "within": there is nothing to be within
        const bool close = worst && c.total_off <= 0.10 && c.worst_off <= 0.10;
        within += close;
        table.add_row({std::string(name_of(c.arch)), c.booted_path, c.release,
                       fmt::format("{} {}", c.model_path, c.era),
                       std::to_string(c.model_total.instructions),
                       std::to_string(c.booted_total.instructions), percent(c.total_off),
                       worst ? std::string(name_of(worst->phase)) : "-",
                       worst ? std::to_string(worst->model.instructions) : "",
                       worst ? std::to_string(worst->booted.instructions) : "",
                       worst ? percent(c.worst_off) : "", close ? "yes" : "no"});
    }
    std::string out = markdown ? table.markdown() : table.str();
    out += fmt::format("\n{} of {} booted paths within 10% of their model in every compared "
                       "phase's instructions (compared: the phases both sides mean alike; not "
                       "the caller, the body, or a handler that is the kernel's own tracer)\n",
                       within, rows.size());
    return out;
}

} // namespace tracesim
