// fgraph's entry hook, Linux v6.1 (prepare_ftrace_return -> function_graph_enter: the verdict
// of ftrace_graph_entry tested, a decline pops the frame; nothing saved around the call). The
// code is fgraph_entry.inc.
    .set    FGRAPH_ENTRY_V6_14, 0
    .include "fgraph_entry.inc"
