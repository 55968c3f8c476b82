#include "base/input_file.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace tracesim {

namespace {

std::mutex inputs_mutex;
std::set<std::pair<dev_t, ino_t>>& inputs() {
    static std::set<std::pair<dev_t, ino_t>> set;
    return set;
}

std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

} // namespace

std::string input_problem(const std::filesystem::path& file, uint64_t limit) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return std::strerror(errno);
    if (!S_ISREG(st.st_mode)) return "is " + kind_of(st.st_mode) + ", not a regular file";
    if (static_cast<uint64_t>(st.st_size) > limit)
        return fmt::format("is {} bytes, over the {} MiB an input may have", st.st_size,
                           limit >> 20);
    return "";
}

Expected<std::string> read_input_file(const std::filesystem::path& file, uint64_t limit,
                                      ExitCode kind) {
    if (std::string why = input_problem(file, limit); !why.empty())
        return Error{fmt::format("{}: {}", file.string(), why), kind};
    // O_NONBLOCK: should the file have become a FIFO since the check, open does not wait.
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return Error{fmt::format("{}: {}", file.string(), std::strerror(errno)), kind};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return Error{fmt::format("{}: not a regular file", file.string()), kind};
    }
    std::string text;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            return Error{fmt::format("{}: {}", file.string(), std::strerror(err)), kind};
        }
        if (n == 0) break;
        if (text.size() + static_cast<size_t>(n) > limit) {
            ::close(fd);
            return Error{fmt::format("{}: grew past the {} MiB an input may have", file.string(),
                                     limit >> 20),
                         kind};
        }
        text.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    {
        std::lock_guard lock(inputs_mutex);
        inputs().insert({st.st_dev, st.st_ino});
    }
    return text;
}

void note_input(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return;
    std::lock_guard lock(inputs_mutex);
    inputs().insert({st.st_dev, st.st_ino});
}

bool is_noted_input(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return false;
    std::lock_guard lock(inputs_mutex);
    return inputs().count({st.st_dev, st.st_ino}) > 0;
}

bool has_word(std::string_view text, std::string_view word) {
    auto name_char = [&](size_t i) {
        return i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                                   text[i] == '_' || text[i] == '.');
    };
    for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1))
        if ((at == 0 || !name_char(at - 1)) && !name_char(at + word.size())) return true;
    return false;
}

std::string first_use(const std::string& file, const std::string& symbol) {
    auto text = read_input_file(file);
    if (!text) return file;
    std::istringstream lines(*text);
    std::string line;
    for (int lineno = 1; std::getline(lines, line); ++lineno)
        if (has_word(line, symbol)) return fmt::format("{}:{}", file, lineno);
    return file;
}

} // namespace tracesim
