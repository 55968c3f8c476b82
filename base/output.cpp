#include "base/output.h"

#include "base/input_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tracesim {

Expected<void> write_file_atomically(const std::filesystem::path& file, std::string_view content,
                                     bool replaces_input) {
    // Only a regular file (or nothing) is replaced: renaming over a symlink or a device node would
    // turn it into a regular file, and the run's own input is never its output.
    struct stat st {};
    if (::lstat(file.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode))
            return usage_error("{}: is a symbolic link; write to its target, or to another file",
                               file.string());
        if (!S_ISREG(st.st_mode))
            return usage_error("{}: is not a regular file; tracesim replaces only regular files",
                               file.string());
        if (!replaces_input && is_noted_input(file))
            return usage_error("{}: is an input of this run; write the output elsewhere",
                               file.string());
    }
    std::filesystem::path temporary = file;
    temporary += fmt::format(".tmp.{}", getpid());
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return make_error("cannot write {}: {}", file.string(), std::strerror(errno));
    size_t done = 0;
    int err = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            err = errno;
            break;
        }
        done += static_cast<size_t>(n);
    }
    if (!err && ::fsync(fd) != 0 && errno != EINVAL) err = errno;
    if (::close(fd) != 0 && !err) err = errno;
    if (err) {
        std::remove(temporary.c_str());
        return make_error("cannot write {}: {}", file.string(), std::strerror(err));
    }
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
        err = errno;
        std::remove(temporary.c_str());
        return make_error("cannot replace {}: {}", file.string(), std::strerror(err));
    }
    return {};
}

Expected<void> emit_output(std::string_view text, const std::string& output) {
    if (output.empty() || output == "-") {
        // A full disk or a closed pipe is an error, not a silent success.
        size_t written = std::fwrite(text.data(), 1, text.size(), stdout);
        if (written != text.size() || std::fflush(stdout) != 0 || std::ferror(stdout))
            return make_error("cannot write to standard output: {}", std::strerror(errno));
        return {};
    }
    return write_file_atomically(output, text);
}

} // namespace tracesim
