// The caller of the traced function: tracesim starts here with the arguments in registers and
// stops when execution reaches driver_done (a code hook; the ud2 never runs).
    .text
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.driver:
    call    traced_func
driver_done:
    ud2
