// String escaping for JsonWriter.
#include "codec/json_writer.hpp"

#include <cstdint>
#include <cstring>

namespace merit::codec {

bool JsonWriter::needs_escape(std::string_view s) {
  // Eight bytes at a time, with the usual test for a zero byte ((v - 0x01..) & ~v & 0x80.. is
  // non-zero exactly when some byte of v is zero) and its form for a byte below 0x20, applied to
  // w ^ '"'.., w ^ '\\'.. and w.
  constexpr std::uint64_t k01 = 0x0101010101010101ull, k80 = 0x8080808080808080ull;
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    std::uint64_t quote = w ^ (k01 * '"'), backslash = w ^ (k01 * '\\');
    std::uint64_t hit =
        ((w - k01 * 0x20) & ~w) | ((quote - k01) & ~quote) | ((backslash - k01) & ~backslash);
    if (hit & k80) return true;
  }
  for (; n > 0; ++p, --n) {
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == '"' || c == '\\') return true;
  }
  return false;
}

void JsonWriter::escaped(std::string_view s) {
  out_ += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out_ += "\\u00";
          out_ += hex[c >> 4];
          out_ += hex[c & 15];
        } else {
          out_ += ch;
        }
    }
  }
  out_ += '"';
}

}  // namespace merit::codec
