// Rendering of diagnostics for terminals: the `file:line:col: error: message` line, the source
// line indented by two spaces, and a caret under the column.
#include "dsl/diagnostics.hpp"

#include <fmt/format.h>

namespace merit::dsl {
namespace {

const char* severity_word(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

// Decodes the code point starting at text[i] (advancing i); invalid bytes count as one each.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  char32_t cp = extra == 3   ? lead & 0x07u
                : extra == 2 ? lead & 0x0Fu
                : extra == 1 ? lead & 0x1Fu
                             : lead;
  ++i;
  for (int k = 0; k < extra && i < text.size() && (byte(i) & 0xC0) == 0x80; ++k, ++i) {
    cp = (cp << 6) | (byte(i) & 0x3Fu);
  }
  return cp;
}

// East Asian wide and fullwidth characters take two terminal cells; the caret must line up under
// them, so it is padded by display width while the column number counts code points.
bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
         (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

std::string render(const Diagnostic& d, std::string_view source_line) {
  std::string out = fmt::format("{}:{}:{}: {}: {}", d.file, d.loc.line, d.loc.col,
                                severity_word(d.severity), d.message);
  if (d.suggestion && d.message.find("did you mean") == std::string::npos) {
    out += fmt::format("; did you mean `{}`?", *d.suggestion);
  }
  out += '\n';
  if (source_line.empty()) return out;
  out += "  ";
  out += source_line;
  out += "\n  ";
  std::size_t i = 0;
  for (std::uint32_t col = 1; col < d.loc.col && i < source_line.size(); ++col) {
    if (source_line[i] == '\t') {
      out += '\t';
      ++i;
      continue;
    }
    out += is_wide(next_code_point(source_line, i)) ? "  " : " ";
  }
  out += "^\n";
  return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
  for (const Diagnostic& d : ds) {
    if (d.severity == Severity::kError) return true;
  }
  return false;
}

}  // namespace merit::dsl
