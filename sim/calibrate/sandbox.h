// Native calibration runs a path's code on the host CPU. That code may be a user's (an edited
// trampoline), so it never runs in tracesim's own process: `run_sandboxed` forks a child, and
// the child calls `enter_sandbox` once its mappings are set up, just before the first
// instruction of the path runs. From then on a seccomp filter allows only what the timing loop
// needs (write to the result pipe, memory management, exit): any other system call kills the
// child, which the parent reports as the reason the path is not calibratable. The parent waits
// at most `seconds` (docs/reliability.md).
#pragma once

#include "base/expected.h"

#include <functional>
#include <string>

namespace tracesim {

// In the child: installs the filter. 0 errors on success; an error if the kernel refuses
// (then the child must not run the code).
Expected<void> enter_sandbox();

// Runs `body` in a child; its return value is the payload handed back. An error says how the
// child ended when it did not hand one back (killed for a system call, a signal, an exit
// status, the time limit).
Expected<std::string> run_sandboxed(const std::function<std::string()>& body, double seconds);

} // namespace tracesim
