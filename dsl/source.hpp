// A program's text and where it came from; turns byte offsets into 1-based line and column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"

namespace merit::dsl {

// The text of one file, or of one fragment of a file (an expression string inside a YAML file).
// A fragment's positions are shifted by `base`: offset 0 of the fragment is at base.line:base.col
// of the file, so diagnostics point into the file the user edits.
class Source {
 public:
  Source(std::string file, std::string text, ast::Loc base = {1, 1});

  const std::string& file() const { return file_; }
  const std::string& text() const { return text_; }
  ast::Loc base() const { return base_; }

  // The line and column of a byte offset (clamped to the text's end). Columns count code points.
  ast::Loc locate(std::size_t offset) const;

  // The text of 1-based line `line` of this source (without its newline); empty when out of range.
  std::string_view line_text(std::uint32_t line) const;

 private:
  std::string file_;
  std::string text_;
  ast::Loc base_;
  std::vector<std::size_t> line_starts_;  // byte offset of each line's first byte
};

}  // namespace merit::dsl
