#include "isa/include_scan.h"

#include "base/input_file.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace tracesim {

namespace {

namespace fs = std::filesystem;

// The directive a line starts with (".include", ".fill", ...) and what follows it, or "".
std::pair<std::string, std::string> directive(const std::string& line) {
    size_t at = line.find_first_not_of(" \t");
    if (at == std::string::npos || line[at] != '.') return {};
    size_t end = line.find_first_of(" \t", at);
    if (end == std::string::npos) return {line.substr(at), ""};
    size_t rest = line.find_first_not_of(" \t", end); // npos: only blanks follow (fuzz found)
    return {line.substr(at, end - at), rest == std::string::npos ? "" : line.substr(rest)};
}

std::string resolve(const std::string& name, const std::vector<std::string>& dirs) {
    std::error_code ec;
    if (fs::exists(name, ec)) return name;
    for (const std::string& dir : dirs) {
        fs::path candidate = fs::path(dir) / name;
        if (fs::exists(candidate, ec)) return candidate.string();
    }
    return ""; // MC reports the missing file itself, with its line
}

Expected<void> scan(std::string_view source, const std::string& file,
                    const std::vector<std::string>& dirs, std::vector<std::string>& stack) {
    std::istringstream lines{std::string(source)};
    std::string line;
    for (int lineno = 1; std::getline(lines, line); ++lineno) {
        auto [name, rest] = directive(line);
        if (name == ".fill" || name == ".space" || name == ".skip" || name == ".zero") {
            // Only a literal size: an expression is MC's to evaluate.
            char* end = nullptr;
            unsigned long long n = std::strtoull(rest.c_str(), &end, 0);
            if (end != rest.c_str() && n > max_text_input)
                return usage_error("{}:{}: {} of {} bytes: more than the {} MiB a source may "
                                   "make",
                                   file, lineno, name, n, max_text_input >> 20);
            continue;
        }
        if (name != ".include" && name != ".incbin") continue;
        size_t open = rest.find('"'), close = rest.find('"', open + 1);
        if (open == std::string::npos || close == std::string::npos) continue; // MC's error
        std::string target = resolve(rest.substr(open + 1, close - open - 1), dirs);
        if (target.empty()) continue;
        if (std::string why = input_problem(target); !why.empty())
            return usage_error("{}:{}: {} \"{}\": {}", file, lineno, name, target, why);
        if (name == ".incbin") continue;
        std::error_code ec;
        std::string canonical = fs::weakly_canonical(target, ec).string();
        for (const std::string& open_file : stack)
            if (open_file == canonical)
                return usage_error("{}:{}: .include \"{}\" includes a file that is already being "
                                   "included (it would recurse forever)",
                                   file, lineno, target);
        if (static_cast<int>(stack.size()) >= max_include_depth)
            return usage_error("{}:{}: .include nested more than {} deep", file, lineno,
                               max_include_depth);
        auto text = read_input_file(target);
        if (!text) return text.take_error();
        stack.push_back(canonical);
        if (auto ok = scan(*text, target, dirs, stack); !ok) return ok;
        stack.pop_back();
    }
    return {};
}

} // namespace

Expected<void> check_includes(std::string_view source, const std::string& file_name,
                              const std::vector<std::string>& include_dirs) {
    std::error_code ec;
    std::vector<std::string> stack{fs::weakly_canonical(file_name, ec).string()};
    return scan(source, file_name, include_dirs, stack);
}

} // namespace tracesim
