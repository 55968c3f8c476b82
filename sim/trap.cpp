#include "sim/trap.h"

namespace tracesim {

Expected<void> TrapDelivery::deliver(Machine& machine, const TrapEvent& trap) {
    return behaviour_for(machine.isa().arch).enter_exception(machine, trap);
}

} // namespace tracesim
