// Exact fixed-point arithmetic for Decimal.
#include "common/decimal.hpp"

#include <charconv>
#include <limits>

namespace merit {

namespace {
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

bool fits(__int128 v) { return v <= kMax && v >= kMin; }
}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view s, bool percent) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  std::size_t i = 0;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
  }
  __int128 whole = 0;
  std::size_t digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > kMax) return std::nullopt;
  }
  __int128 frac = 0;
  int frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      frac = frac * 10 + (s[i] - '0');
      ++frac_digits;
      if (frac_digits > kDigits + 2) {
        // allow trailing zeros beyond the scale only
        if (s[i] != '0') return std::nullopt;
        frac /= 10;
        --frac_digits;
      }
    }
    if (frac_digits == 0 && digits == 0) return std::nullopt;
  } else if (digits == 0) {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  // value = whole.frac ; units = value * 10^6 (or 10^4 for percent)
  int target = percent ? kDigits - 2 : kDigits;
  __int128 units = whole;
  for (int k = 0; k < target; ++k) units *= 10;
  if (units > kMax) return std::nullopt;
  if (frac_digits > target) {
    // more fractional digits than we keep: exact only if the extra digits are zero
    __int128 div = 1;
    for (int k = 0; k < frac_digits - target; ++k) div *= 10;
    if (frac % div != 0) return std::nullopt;
    frac /= div;
  } else {
    for (int k = frac_digits; k < target; ++k) frac *= 10;
  }
  units += frac;
  if (neg) units = -units;
  if (!fits(units)) return std::nullopt;
  return from_units(static_cast<std::int64_t>(units));
}

std::size_t Decimal::to_chars(char* out) const {
  // The magnitude as unsigned, so that the most negative value has one too.
  std::uint64_t u =
      units_ < 0 ? 0 - static_cast<std::uint64_t>(units_) : static_cast<std::uint64_t>(units_);
  char* p = out;
  if (units_ < 0) *p++ = '-';
  p = std::to_chars(p, p + 20, u / kScale).ptr;
  auto frac = static_cast<std::uint32_t>(u % kScale);
  if (frac != 0) {
    *p++ = '.';
    int digits = kDigits;
    while (frac % 10 == 0) {  // no trailing zeros
      frac /= 10;
      --digits;
    }
    for (int i = digits - 1; i >= 0; --i, frac /= 10) p[i] = static_cast<char>('0' + frac % 10);
    p += digits;
  }
  return static_cast<std::size_t>(p - out);
}

std::string Decimal::to_string() const {
  char buf[kMaxChars];
  return std::string(buf, to_chars(buf));
}

std::int64_t Decimal::floor() const {
  std::int64_t q = units_ / kScale;
  if (units_ % kScale != 0 && units_ < 0) --q;
  return q;
}

std::int64_t Decimal::ceil() const {
  std::int64_t q = units_ / kScale;
  if (units_ % kScale != 0 && units_ > 0) ++q;
  return q;
}

std::int64_t Decimal::round() const {
  std::int64_t q = units_ / kScale;
  std::int64_t r = units_ % kScale;
  if (r >= kScale / 2) ++q;
  if (r <= -kScale / 2) --q;
  return q;
}

bool Decimal::add(Decimal a, Decimal b, Decimal& out) {
  std::int64_t r;
  if (__builtin_add_overflow(a.units_, b.units_, &r)) return false;
  out.units_ = r;
  return true;
}

bool Decimal::sub(Decimal a, Decimal b, Decimal& out) {
  std::int64_t r;
  if (__builtin_sub_overflow(a.units_, b.units_, &r)) return false;
  out.units_ = r;
  return true;
}

bool Decimal::mul(Decimal a, Decimal b, Decimal& out) {
  __int128 p = static_cast<__int128>(a.units_) * b.units_ / kScale;
  if (!fits(p)) return false;
  out.units_ = static_cast<std::int64_t>(p);
  return true;
}

bool Decimal::div(Decimal a, Decimal b, Decimal& out) {
  if (b.units_ == 0) return false;
  __int128 q = static_cast<__int128>(a.units_) * kScale / b.units_;
  if (!fits(q)) return false;
  out.units_ = static_cast<std::int64_t>(q);
  return true;
}

}  // namespace merit
