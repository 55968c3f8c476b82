// A deeper caller, for return-stack studies: driver_entry -> caller_outer -> caller_inner ->
// traced_func, each level a call and a ret. A return that skips a frame (the classic fexit
// trampoline's SKIP_FRAME ret) then shows in the returns above it: the timing model scores
// every return but a run's last one (docs/timing.md §3), and with driver.S the trampoline's
// ret is that last one. Drop-in for driver.S (same globals, phase caller):
//   tracesim compare --arch x86_64 --path trig-fexit --kernel-a 6.14 --kernel-b 6.19 \
//     --replace driver.S --asm-a kernels/x86_64/harness/driver_nested.S --asm-b kernels/x86_64/harness/driver_nested.S
// Harness, not kernel code (like driver.S); no path lists it.
    .text
    .globl driver_entry
    .globl driver_done
driver_entry:
phase.caller.driver:
    call    caller_outer
driver_done:
    ud2
caller_outer:
phase.caller.driver_outer:
    call    caller_inner
    ret
caller_inner:
phase.caller.driver_inner:
    call    traced_func
    ret
