/* The part of the QEMU TCG plugin API (plugin API version 1, as QEMU 7.2 offers it) that
 * tracesim_plugin.c uses. Hand-written from the documented interface (QEMU's
 * docs/devel/tcg-plugins.rst and the doc comments of its qemu-plugin.h), not copied from QEMU:
 * we build against the QEMU binary on the machine, not a QEMU source tree.
 *
 * The layouts and values below are ABI: they must match QEMU 7.2 exactly. */
#ifndef TRACESIM_QEMU_PLUGIN_API_H
#define TRACESIM_QEMU_PLUGIN_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* QEMU looks these two symbols up with dlsym: they must stay visible. */
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))
/* The API version this header describes; the plugin exports it as `qemu_plugin_version`. */
#define TRACESIM_QEMU_PLUGIN_VERSION 1

/* The plugin's handle, given to qemu_plugin_install and passed back to the register calls. */
typedef uint64_t qemu_plugin_id_t;

/* What QEMU tells the plugin at install. */
typedef struct {
    const char *target_name;  /* the guest arch: "x86_64", "aarch64", ... */
    struct {
        int min;              /* oldest plugin API version this QEMU accepts */
        int cur;              /* newest */
    } version;
    bool system_emulation;    /* true for qemu-system-*, false for linux-user */
    union {
        struct {              /* valid when system_emulation */
            int smp_vcpus;
            int max_vcpus;
        } system;
    };
} qemu_info_t;

/* Opaque, valid only inside the translation callback that received them. */
struct qemu_plugin_tb;
struct qemu_plugin_insn;

/* Whether a callback may read/write guest registers (we read none). */
enum qemu_plugin_cb_flags {
    QEMU_PLUGIN_CB_NO_REGS = 0,
    QEMU_PLUGIN_CB_R_REGS = 1,
    QEMU_PLUGIN_CB_RW_REGS = 2,
};

/* Which memory accesses a memory callback wants. */
enum qemu_plugin_mem_rw {
    QEMU_PLUGIN_MEM_R = 1,
    QEMU_PLUGIN_MEM_W = 2,
    QEMU_PLUGIN_MEM_RW = 3,
};

/* Encodes one access's size, sign, endianness and direction; decoded by the calls below. */
typedef uint32_t qemu_plugin_meminfo_t;

typedef void (*qemu_plugin_simple_cb_t)(qemu_plugin_id_t id);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
                                          uint64_t vaddr, void *userdata);

/* Implemented by the plugin, called once at load; nonzero refuses the load. argv holds the
 * "key=value" arguments given after the plugin path on -plugin. */
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv);

/* Drops every callback the plugin registered (atexit included) and flushes all translated
 * code; cb runs once that is done (from a safe point on a vCPU thread, not at the call). */
void qemu_plugin_reset(qemu_plugin_id_t id, qemu_plugin_simple_cb_t cb);

/* cb runs for each block QEMU translates, before the block is first executed. */
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           qemu_plugin_vcpu_tb_trans_cb_t cb);
/* cb runs when QEMU exits. */
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb,
                                    void *userdata);

/* Inside a translation callback: the block and its instructions. */
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);  /* its bytes */
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* Inside a translation callback: cb runs each time insn is about to execute / each time it
 * makes a memory access of the kind rw (after the access). */
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn,
                                      qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags,
                                      enum qemu_plugin_mem_rw rw, void *userdata);

/* Decoding a memory callback's info: log2 of the size in bytes; whether it is a store. */
unsigned int qemu_plugin_mem_size_shift(qemu_plugin_meminfo_t info);
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info);

/* Writes a string to QEMU's log (-d plugin -D FILE). */
void qemu_plugin_outs(const char *string);

#endif
