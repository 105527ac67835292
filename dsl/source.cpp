// Source: a program's text with a line table, so that byte offsets become 1-based line:column
// (columns count UTF-8 code points), shifted by the fragment's base inside its file.
#include "dsl/source.hpp"

#include <algorithm>

namespace merit::dsl {

Source::Source(std::string file, std::string text, ast::Loc base)
    : file_(std::move(file)), text_(std::move(text)), base_(base) {
  if (base_.line == 0) base_.line = 1;
  if (base_.col == 0) base_.col = 1;
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

ast::Loc Source::locate(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  // The last line start that is <= offset.
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  std::uint32_t col = 1;
  for (std::size_t i = line_starts_[index]; i < offset; ++i) {
    // Count lead bytes only: continuation bytes (10xxxxxx) belong to the code point before them.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;
  }
  ast::Loc loc{static_cast<std::uint32_t>(index) + base_.line, col};
  if (index == 0) loc.col += base_.col - 1;
  return loc;
}

std::string_view Source::line_text(std::uint32_t line) const {
  if (line < base_.line) return {};
  std::size_t index = line - base_.line;
  if (index >= line_starts_.size()) return {};
  std::size_t begin = line_starts_[index];
  std::size_t end = index + 1 < line_starts_.size() ? line_starts_[index + 1] - 1 : text_.size();
  std::string_view view(text_.data() + begin, end - begin);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

}  // namespace merit::dsl
