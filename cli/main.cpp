// tracesim: the command line. Commands live in commands.cpp; this file only maps errors to
// exit codes (0 ok, 1 tool or model error, 2 usage error, 3 regression).
#include "cli/commands.h"

int main(int argc, char** argv) {
    return tracesim::run_cli(argc, argv);
}
