#include "report/text_metrics.h"

#include <algorithm>

namespace tracesim {

namespace {

// Advance widths in em of DejaVu Sans Book (units per em 2048, rounded up to 1/100 em).
double em_width(unsigned char c) {
    static constexpr double lower[26] = {0.62, 0.64, 0.56, 0.64, 0.62, 0.36, 0.64, 0.64, 0.28,
                                         0.28, 0.58, 0.28, 0.98, 0.64, 0.62, 0.64, 0.64, 0.42,
                                         0.53, 0.40, 0.64, 0.60, 0.82, 0.60, 0.60, 0.53};
    static constexpr double upper[26] = {0.69, 0.69, 0.70, 0.78, 0.64, 0.58, 0.78, 0.76, 0.30,
                                         0.30, 0.66, 0.56, 0.87, 0.75, 0.79, 0.61, 0.79, 0.70,
                                         0.64, 0.62, 0.74, 0.69, 0.99, 0.69, 0.62, 0.69};
    if (c >= 'a' && c <= 'z') return lower[c - 'a'];
    if (c >= 'A' && c <= 'Z') return upper[c - 'A'];
    if (c >= '0' && c <= '9') return 0.64;
    switch (c) {
    case ' ':
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '|':
    case '\'':
        return 0.34;
    case '-':
    case '(':
    case ')':
    case '[':
    case ']':
    case '/':
    case '{':
    case '}':
        return 0.40;
    case '"':
    case '*':
    case '_':
        return 0.50;
    case '+':
    case '=':
    case '<':
    case '>':
    case '#':
    case '~':
        return 0.84;
    case '%':
    case '@':
    case '&':
        return 1.00;
    default:
        return 1.00;
    }
}

} // namespace

double text_width(std::string_view text, double font_size, bool bold) {
    double em = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) { // one multi-byte character: count its lead byte only
            if ((c & 0xC0) == 0xC0) em += 1.0;
            continue;
        }
        em += em_width(c);
    }
    return em * font_size * (bold ? 1.12 : 1.0);
}

std::vector<std::string> wrap_text(std::string_view text, double font_size, double max_width,
                                   bool bold, std::string_view break_after) {
    // Words: what lies between break opportunities; `space_before` says whether a space separated
    // it from the word before.
    struct Word {
        std::string text;
        bool space_before;
    };
    std::vector<Word> words;
    std::string current;
    bool space_before = false;
    for (char c : text) {
        if (c == ' ') {
            if (!current.empty()) words.push_back({current, space_before});
            current.clear();
            space_before = true;
            continue;
        }
        current += c;
        if (break_after.find(c) != std::string_view::npos) {
            words.push_back({current, space_before});
            current.clear();
            space_before = false;
        }
    }
    if (!current.empty()) words.push_back({current, space_before});

    std::vector<std::string> lines;
    std::string line;
    for (const Word& w : words) {
        std::string joined = line.empty() ? w.text : line + (w.space_before ? " " : "") + w.text;
        if (!line.empty() && text_width(joined, font_size, bold) > max_width) {
            lines.push_back(line);
            line = w.text;
        } else {
            line = joined;
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

} // namespace tracesim
