// JsonWriter: strings and keys escaped exactly where RFC 8259 needs it (checked byte by byte
// against a plain escaper, at every offset of the eight-byte scan), integers and decimals at their
// extremes, and the commas between values.
#include "codec/json_writer.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace merit::codec {
namespace {

// The plain form: one byte at a time.
std::string reference(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

TEST(JsonWriter, EscapesEveryByteAtEveryOffsetAsTheByteByByteEscaperDoes) {
  // Every byte value in strings of 1 to 19 bytes, at every position, among plain ASCII and among
  // bytes of 0x80 and above (UTF-8), which a word-wide test must not mistake for small ones.
  for (const char filler : {'a', '\xe9'}) {
    for (std::size_t length = 1; length < 20; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        for (int b = 0; b < 256; ++b) {
          std::string s(length, filler);
          s[at] = static_cast<char>(b);
          std::string out;
          JsonWriter(out).string(s);
          ASSERT_EQ(out, reference(s)) << "byte " << b << " at " << at << " of " << length;
          std::string keyed;
          JsonWriter(keyed).begin_object().key(s).integer(1).end_object();
          ASSERT_EQ(keyed, "{" + reference(s) + ":1}") << "byte " << b << " at " << at;
        }
      }
    }
  }
  std::string out;
  JsonWriter(out).string("");
  EXPECT_EQ(out, "\"\"");
}

TEST(JsonWriter, WritesNumbersAtTheirExtremesAndSeparatesValues) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.integer(0).integer(-7).integer(std::numeric_limits<std::int64_t>::max());
  w.integer(std::numeric_limits<std::int64_t>::min());
  w.decimal(Decimal::from_units(-1'250'000)).decimal(Decimal::from_units(3));
  w.begin_object().key("a").null().key("b").boolean(true).end_object();
  w.begin_array().end_array().string("x");
  w.end_array();
  EXPECT_EQ(out,
            "[0,-7,9223372036854775807,-9223372036854775808,-1.25,0.000003,"
            "{\"a\":null,\"b\":true},[],\"x\"]");
}

}  // namespace
}  // namespace merit::codec
