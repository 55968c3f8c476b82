// Layer 3: counters attribute every instruction and memory access to its phase, exactly.
#include "helpers.h"
#include "sim/counters.h"
#include "sim/machine.h"

using namespace tracesim;

TEST_CASE("counts per phase on a hand-checked program") {
    auto image = tracesim::test::build_program(Arch::x86_64, R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    call fn                 # 1 store (8 bytes)
driver_done:
    ud2
fn:
phase.save.fn:
    pushq %rbx              # 1 store
    movq (%rsp), %rax       # 1 load
phase.restore.fn:
    popq %rbx               # 1 load
    ret                     # 1 load
)");
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto machine = Machine::create(*image);
    REQUIRE(machine);
    Counters counters(*image);
    (*machine)->add_listener(&counters);
    (*machine)->write((*machine)->isa().sp, image->layout.stack_top());
    REQUIRE((*machine)->run(*image->address_of("driver_entry"), *image->address_of("driver_done"),
                            100));

    Metrics caller = counters.phase(Phase::caller);
    CHECK(caller.instructions == 1);
    CHECK(caller.stores == 1);
    CHECK(caller.bytes_stored == 8);
    CHECK(caller.max_stack_depth == 8);
    Metrics save = counters.phase(Phase::save);
    CHECK(save.instructions == 2);
    CHECK(save.stores == 1);
    CHECK(save.loads == 1);
    CHECK(save.max_stack_depth == 16);
    Metrics restore = counters.phase(Phase::restore);
    CHECK(restore.instructions == 2);
    CHECK(restore.loads == 2);
    CHECK(restore.bytes_loaded == 16);
    CHECK_FALSE(counters.phase_ran(Phase::handler));
    Metrics total = counters.total();
    CHECK(total.instructions == 5);
    CHECK(total.loads == 3);
    CHECK(total.stores == 2);
    CHECK(total.max_stack_depth == 16);
    CHECK(total.lines_touched == 1); // two adjacent stack slots share a line
}

TEST_CASE("an arm64 ldp is two loads of eight bytes") {
    auto image = tracesim::test::build_program(Arch::arm64, R"(
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.t:
    stp x0, x1, [sp, #-16]!
    ldp x0, x1, [sp], #16
driver_done:
    udf #0
)");
    REQUIRE(image);
    auto machine = Machine::create(*image);
    REQUIRE(machine);
    Counters counters(*image);
    (*machine)->add_listener(&counters);
    (*machine)->write((*machine)->isa().sp, image->layout.stack_top());
    REQUIRE((*machine)->run(*image->address_of("driver_entry"), *image->address_of("driver_done"),
                            100));
    Metrics total = counters.total();
    CHECK(total.instructions == 2);
    CHECK(total.stores == 2);
    CHECK(total.loads == 2);
    CHECK(total.bytes_loaded == 16);
}
