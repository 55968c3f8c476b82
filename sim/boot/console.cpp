#include "sim/boot/console.h"

#include <charconv>
#include <deque>

namespace tracesim {

std::map<std::string, std::string> console_fields(std::string_view line) {
    std::map<std::string, std::string> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ')
            ++i;
        size_t eq = line.find('=', i);
        size_t space = line.find(' ', i);
        if (eq == std::string_view::npos || (space != std::string_view::npos && space < eq)) {
            i = space == std::string_view::npos ? line.size() : space; // a bare word
            continue;
        }
        std::string key(line.substr(i, eq - i));
        std::string value;
        i = eq + 1;
        if (i < line.size() && line[i] == '"') {
            ++i;
            while (i < line.size() && line[i] != '"') {
                if (line[i] == '\\' && i + 1 < line.size()) ++i;
                value += line[i++];
            }
            ++i;
        } else {
            size_t end = line.find(' ', i);
            value = std::string(line.substr(i, end == std::string_view::npos ? end : end - i));
            i = end == std::string_view::npos ? line.size() : end;
        }
        out[key] = value;
    }
    return out;
}

const ConsolePath* ConsoleLog::find(std::string_view name) const {
    for (const ConsolePath& p : paths)
        if (p.name == name) return &p;
    return nullptr;
}

ConsoleLog parse_console(std::string_view text) {
    ConsoleLog log;
    std::deque<std::string> tail;
    bool in_symbols = false;
    ConsolePath* path = nullptr;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
        start = end == std::string_view::npos ? text.size() : end + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == '\0'))
            line.remove_suffix(1);
        // The agent's lines may follow kernel output or terminal escapes on the same line.
        size_t tag = line.find("@@TS ");
        if (in_symbols && tag == std::string_view::npos) {
            log.symbols.add_line(line);
            continue;
        }
        if (tag == std::string_view::npos) {
            if (line.empty()) continue;
            if (log.panic.empty() && line.find("Kernel panic") != std::string_view::npos)
                log.panic = std::string(line.substr(line.find("Kernel panic")));
            tail.emplace_back(line);
            if (tail.size() > 40) tail.pop_front();
            continue;
        }
        std::string_view body = line.substr(tag + 5);
        size_t space = body.find(' ');
        std::string_view verb = body.substr(0, space);
        std::string_view rest = space == std::string_view::npos ? "" : body.substr(space + 1);
        auto fields = console_fields(rest);
        if (verb == "hello") {
            log.release = fields["release"];
            log.machine = fields["machine"];
            log.cmdline = fields["cmdline"];
        } else if (verb == "syms") {
            if (rest.starts_with("begin")) {
                in_symbols = true;
            } else {
                in_symbols = false;
                int64_t count = -1;
                const std::string& c = fields["count"];
                std::from_chars(c.data(), c.data() + c.size(), count);
                log.symbols_announced = count;
            }
        } else if (verb == "path") {
            log.paths.push_back({fields["name"]});
            path = &log.paths.back();
        } else if (verb == "fail" && path) {
            path->failure = fields["step"] + ": " + fields["err"] +
                            (fields["log"].empty() ? "" : " (" + fields["log"] + ")");
        } else if (verb == "warn" && path) {
            path->warnings.push_back(fields["step"] + ": " + fields["err"]);
        } else if (verb == "sym" && path) {
            if (auto symbol = parse_kallsyms_line(rest))
                path->run_time_symbols.push_back(std::move(*symbol));
        } else if (verb == "kprobe" && path) {
            path->kprobes.emplace_back(rest);
        } else if (verb == "window" && path) {
            uint32_t index = 0;
            const std::string& i = fields["index"];
            std::from_chars(i.data(), i.data() + i.size(), index);
            path->window = index;
        } else if (verb == "windowend" && path) {
            path->window_closed = true;
        } else if (verb == "hits" && path) {
            int64_t n = 0;
            const std::string& h = fields["n"];
            std::from_chars(h.data(), h.data() + h.size(), n);
            path->hits = n;
        } else if (verb == "done") {
            log.done = true;
        } else if (verb == "fatal") {
            log.fatal = std::string(rest);
        }
    }
    log.symbols.seal();
    log.tail.assign(tail.begin(), tail.end());
    return log;
}

} // namespace tracesim
