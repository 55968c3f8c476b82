/* The offsets of NativeRun (sim/calibrate/native.cpp), which tracesim_native_run
   (native_x86_64.S) reads and writes; native.cpp checks them against the struct. Plain
   #defines: the assembler includes this file too. */
#pragma once

#define NATIVE_RUN_FN 0        /* traced_func */
#define NATIVE_RUN_STACK_TOP 8 /* SP before the call */
#define NATIVE_RUN_COUNT 16    /* samples */
#define NATIVE_RUN_SAMPLES 24  /* ticks per sample, or null */
#define NATIVE_RUN_A 32        /* the arguments */
#define NATIVE_RUN_B 40
#define NATIVE_RUN_C 48
#define NATIVE_RUN_RESULT 56     /* %rax after the last call */
#define NATIVE_RUN_SP_AFTER 64   /* SP after the last call */
#define NATIVE_RUN_PER_SAMPLE 72 /* calls per sample */
