#pragma once

namespace tracesim {

// Parses argv, runs the command, prints results or one error line; returns the exit code.
int run_cli(int argc, char** argv);

} // namespace tracesim
