#include "report/table.h"

#include <algorithm>

namespace tracesim {

TextTable::TextTable(std::vector<std::string> headers, std::vector<bool> numeric)
    : headers_(std::move(headers)), numeric_(std::move(numeric)) {}

void TextTable::add_row(std::vector<std::string> cells) {
    cells.resize(headers_.size());
    rows_.push_back(std::move(cells));
    notes_.emplace_back();
}

void TextTable::add_note_row(std::vector<std::string> lead, std::string note) {
    rows_.push_back(std::move(lead));
    notes_.push_back(std::move(note));
}

std::string TextTable::str() const {
    std::vector<size_t> width(headers_.size());
    for (size_t c = 0; c < headers_.size(); ++c)
        width[c] = headers_[c].size();
    for (size_t r = 0; r < rows_.size(); ++r)
        for (size_t c = 0; c < rows_[r].size(); ++c)
            width[c] = std::max(width[c], rows_[r][c].size());
    auto line = [&](const std::vector<std::string>& cells, const std::string& note) {
        std::string out;
        for (size_t c = 0; c < cells.size(); ++c) {
            if (c) out += "  ";
            const std::string& cell = cells[c];
            std::string pad(width[c] - cell.size(), ' ');
            out += numeric_[c] ? pad + cell : cell + pad;
        }
        if (!note.empty()) out += "  " + note;
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        return out + "\n";
    };
    std::string out = line(headers_, "");
    for (size_t r = 0; r < rows_.size(); ++r)
        out += line(rows_[r], notes_[r]);
    return out;
}

std::string TextTable::markdown() const {
    auto row = [](const std::vector<std::string>& cells) {
        std::string out = "|";
        for (const std::string& c : cells)
            out += " " + c + " |";
        return out + "\n";
    };
    std::string out = row(headers_);
    out += "|";
    for (size_t c = 0; c < headers_.size(); ++c)
        out += numeric_[c] ? " ---: |" : " --- |";
    out += "\n";
    for (size_t r = 0; r < rows_.size(); ++r) {
        std::vector<std::string> cells = rows_[r];
        if (!notes_[r].empty()) {
            cells.resize(headers_.size());
            cells[std::min(rows_[r].size(), headers_.size() - 1)] = notes_[r];
        }
        out += row(cells);
    }
    return out;
}

} // namespace tracesim
