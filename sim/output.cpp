#include "sim/output.h"

#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace tracesim {

Expected<void> write_file_atomically(const std::filesystem::path& file, std::string_view content) {
    std::filesystem::path temporary = file;
    temporary += fmt::format(".tmp.{}", getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return make_error("cannot write {}", temporary.string());
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            std::remove(temporary.c_str());
            return make_error("cannot write {}", temporary.string());
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    if (error) {
        std::remove(temporary.c_str());
        return make_error("cannot replace {}: {}", file.string(), error.message());
    }
    return {};
}

Expected<void> emit_output(std::string_view text, const std::string& output) {
    if (output.empty() || output == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return {};
    }
    return write_file_atomically(output, text);
}

} // namespace tracesim
