// A small, deterministic JSON writer: keys in the order written, integers as integers, decimals as
// their exact text, strings escaped per RFC 8259 (UTF-8 passed through). No floating point.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/decimal.hpp"
#include "common/time.hpp"

namespace merit::codec {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() {
    sep();
    out_ += '{';
    first_ = true;
    return *this;
  }
  JsonWriter& end_object() {
    out_ += '}';
    first_ = false;
    return *this;
  }
  JsonWriter& begin_array() {
    sep();
    out_ += '[';
    first_ = true;
    return *this;
  }
  JsonWriter& end_array() {
    out_ += ']';
    first_ = false;
    return *this;
  }
  // Writes `"name":`; the next value follows without a comma.
  JsonWriter& key(std::string_view name) {
    sep();
    if (needs_escape(name)) {
      escaped(name);
      out_ += ':';
    } else {
      char* p = grow(name.size() + 3);
      p[0] = '"';
      std::memcpy(p + 1, name.data(), name.size());
      p[name.size() + 1] = '"';
      p[name.size() + 2] = ':';
    }
    after_key_ = true;
    return *this;
  }
  JsonWriter& string(std::string_view s) {
    sep();
    string_body(s);
    return *this;
  }
  JsonWriter& integer(std::int64_t n) {
    sep();
    char buf[20];
    out_.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, n).ptr - buf));
    return *this;
  }
  JsonWriter& decimal(Decimal d) {
    sep();
    char buf[Decimal::kMaxChars];
    out_.append(buf, d.to_chars(buf));
    return *this;
  }
  JsonWriter& boolean(bool b) {
    sep();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& null() {
    sep();
    out_ += "null";
    return *this;
  }
  // An instant as format_instant writes it, a date as format_date does: quoted, no escaping needed.
  JsonWriter& instant(Instant t) { return quoted(t, format_instant_to); }
  JsonWriter& date(LocalDate d) { return quoted(d, format_date_to); }
  // A value already encoded as JSON.
  JsonWriter& raw(std::string_view json) {
    sep();
    out_ += json;
    return *this;
  }

 private:
  void sep() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }
  // `"s"`, escaped as it needs.
  void string_body(std::string_view s) {
    if (needs_escape(s)) return escaped(s);
    char* p = grow(s.size() + 2);
    p[0] = '"';
    std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
  }
  // Whether `s` has a byte JSON strings escape: '"', '\\' or a control character.
  static bool needs_escape(std::string_view s);
  void escaped(std::string_view s);  // `"s"`, escaping
  // Makes `out_` n bytes longer and returns where they start (their content to be written).
  char* grow(std::size_t n) {
    std::size_t at = out_.size();
    out_.resize(at + n);
    return out_.data() + at;
  }
  // `format` writes the value's text (at most kMaxTimeText chars) and returns its length.
  template <class T>
  JsonWriter& quoted(T value, std::size_t (*format)(T, char*)) {
    sep();
    char buf[kMaxTimeText + 2];
    buf[0] = '"';
    std::size_t n = format(value, buf + 1);
    buf[n + 1] = '"';
    out_.append(buf, n + 2);
    return *this;
  }

  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace merit::codec
