// fgraph's entry hook, Linux v6.14 (function_graph_enter_regs: save_curr_ret_stack around the
// entryfunc, restored when it declines the return). The code is fgraph_entry.inc.
    .set    FGRAPH_ENTRY_V6_14, 1
    .include "fgraph_entry.inc"
