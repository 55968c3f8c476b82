// Running the tracesim binary from a test, as a user (or CI) runs it.
#pragma once

#include <array>
#include <cstdio>
#include <doctest/doctest.h>
#include <string>
#include <sys/wait.h>

namespace tracesim::test {

struct Outcome {
    int exit_code;
    std::string output; // stdout and stderr
};

// `environment`: assignments put before the command, e.g. "TRACESIM_HOME=/tmp/x".
inline Outcome run_tracesim(const std::string& args, const std::string& environment = "") {
    std::string command =
        environment + (environment.empty() ? "" : " ") + TRACESIM_BINARY + " " + args + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string output;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        output.append(buffer.data(), n);
    int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

} // namespace tracesim::test
