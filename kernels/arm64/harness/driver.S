// The caller of the traced function: tracesim starts here with the arguments in registers and
// stops when execution reaches driver_done (a code hook; the udf never runs).
    .text
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.driver:
    bl      traced_func
driver_done:
    udf     #0
