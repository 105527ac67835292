// Decimal: an exact fixed-point number with 6 fractional digits, for money, rates, points and
// growth (LANGUAGE.md §3: never binary floating point). Range about ±9.2 × 10^12.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace merit {

class Decimal {
 public:
  static constexpr std::int64_t kScale = 1'000'000;  // units per 1
  static constexpr int kDigits = 6;                  // fractional digits kept

  constexpr Decimal() = default;
  static constexpr Decimal from_units(std::int64_t units) {
    Decimal d;
    d.units_ = units;
    return d;
  }
  // REQUIRES: |n| < 9.2e12.
  static constexpr Decimal from_int(std::int64_t n) { return from_units(n * kScale); }

  // Parses "12", "-3.5", "0.000001", "1e3" is refused. More than 6 fractional digits is refused
  // (exactness is never silently lost); so is a value out of range. `percent` divides by 100 ("5"
  // -> 0.05).
  static std::optional<Decimal> parse(std::string_view text, bool percent = false);

  constexpr std::int64_t units() const { return units_; }

  // Canonical text: no trailing zeros, no exponent ("1.5", "-0.05", "12").
  std::string to_string() const;
  // The same text written to `out`, which has room for kMaxChars; returns its length.
  static constexpr std::size_t kMaxChars = 21;  // "-9223372036854.775808"
  std::size_t to_chars(char* out) const;

  // Whole part toward zero / toward -inf / toward +inf / half away from zero.
  std::int64_t trunc() const { return units_ / kScale; }
  std::int64_t floor() const;
  std::int64_t ceil() const;
  std::int64_t round() const;
  bool is_whole() const { return units_ % kScale == 0; }

  // Checked arithmetic: false (and `out` untouched) on overflow or division by zero.
  // Multiplication and division keep 6 digits, truncating toward zero beyond them.
  static bool add(Decimal a, Decimal b, Decimal& out);
  static bool sub(Decimal a, Decimal b, Decimal& out);
  static bool mul(Decimal a, Decimal b, Decimal& out);
  static bool div(Decimal a, Decimal b, Decimal& out);

  friend constexpr bool operator==(Decimal, Decimal) = default;
  friend constexpr auto operator<=>(Decimal, Decimal) = default;

 private:
  std::int64_t units_ = 0;
};

}  // namespace merit
