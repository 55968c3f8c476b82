// Aligned plain-text tables: text columns left-aligned, number columns right-aligned.
#pragma once

#include <string>
#include <vector>

namespace tracesim {

class TextTable {
  public:
    explicit TextTable(std::vector<std::string> headers, std::vector<bool> numeric);
    void add_row(std::vector<std::string> cells);
    // A row that spans the table after its first `lead` cells (e.g. "unsupported: <reason>").
    void add_note_row(std::vector<std::string> lead, std::string note);
    std::string str() const;      // aligned plain text
    std::string markdown() const; // a GitHub-flavoured Markdown table

  private:
    std::vector<std::string> headers_;
    std::vector<bool> numeric_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<std::string> notes_; // per row; non-empty for note rows
};

} // namespace tracesim
