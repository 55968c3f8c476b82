#include "sim/boot/process.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace tracesim {

Expected<ProcessResult> run_process(const std::vector<std::string>& argv,
                                    const std::filesystem::path& stdout_file,
                                    const std::filesystem::path& stderr_file,
                                    double time_limit_seconds) {
    if (argv.empty()) return make_error("run_process: no program");
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int out = open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || err < 0 || in < 0)
        return make_error("cannot open {} for {}: {}", stdout_file.string(), argv[0],
                          std::strerror(errno));
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid < 0) return make_error("fork for {}: {}", argv[0], std::strerror(errno));
    if (pid == 0) {
        setpgid(0, 0); // its own group: a timeout kills QEMU's helpers too
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execvp(args[0], args.data());
        dprintf(2, "cannot run %s: %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    close(out);
    close(err);
    close(in);
    setpgid(pid, pid);
    ProcessResult result;
    for (;;) {
        int status = 0;
        pid_t done = waitpid(pid, &status, WNOHANG);
        double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (done == pid) {
            result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            result.seconds = elapsed;
            return result;
        }
        if (done < 0 && errno != EINTR)
            return make_error("waiting for {}: {}", argv[0], std::strerror(errno));
        if (elapsed > time_limit_seconds) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            result.timed_out = true;
            result.seconds = elapsed;
            return result;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::filesystem::path find_program(std::string_view name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        std::filesystem::path candidate = std::filesystem::path(dir) / name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

std::string read_text_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace tracesim
