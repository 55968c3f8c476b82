// rcu_read_lock() / rcu_read_unlock() with CONFIG_PREEMPT_RCU (every x86_64 kernel built with
// PREEMPT_DYNAMIC, Debian's among them): the out-of-line __rcu_read_lock / __rcu_read_unlock of
// Linux v6.14 kernel/rcu/tree_plugin.h, in the shape Debian's 6.12 and 7.3 amd64 builds run
// them (the same instructions in both; read from their booted traces). Both are traceable: their
// first instruction is the 5-byte __fentry__ NOP.
//   lock:   current->rcu_read_lock_nesting++ (load, add, store: WRITE_ONCE of
//           READ_ONCE + 1, as rcu_preempt_read_enter does it).
//   unlock: if (--current->rcu_read_lock_nesting == 0) and current->rcu_read_unlock_special.s,
//           rcu_read_unlock_special(t): not modeled (stops with ud2); nothing here blocks
//           inside a read section or is asked for a quiescent state.
// Left out: IBT's endbr64 at each entry (the mitigations axis). Written from the kernel's
// effects, not copied.
    .include "task.inc"

    .text
    .globl __rcu_read_lock
__rcu_read_lock:
phase.dispatch.rcu_read_lock:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    movq    %gs:pcpu_current_task(%rip), %rdx
    movl    TASK_RCU_READ_LOCK_NESTING(%rdx), %eax
    addl    $1, %eax
    movl    %eax, TASK_RCU_READ_LOCK_NESTING(%rdx)
    ret

    .globl __rcu_read_unlock
__rcu_read_unlock:
phase.dispatch.rcu_read_unlock:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    movq    %gs:pcpu_current_task(%rip), %rdi
    subl    $1, TASK_RCU_READ_LOCK_NESTING(%rdi)
    jne     .Lunlock_done                   // still inside an outer read section
    movl    TASK_RCU_READ_UNLOCK_SPECIAL(%rdi), %eax
    testl   %eax, %eax
    jne     .Lunlock_special_not_modeled
.Lunlock_done:
    ret
.Lunlock_special_not_modeled:
    ud2
