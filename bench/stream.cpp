// The evaluator bench's synthetic history (see stream.hpp).
#include "bench/stream.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace merit::bench {

namespace {

using engine::OpKind;
using engine::Value;

constexpr const char* kCategories[] = {"food",  "apparel", "home", "beauty", "baby",   "digital",
                                       "books", "sports",  "pets", "health", "travel", "gifts"};
constexpr int kCategoryCount = sizeof(kCategories) / sizeof(kCategories[0]);
constexpr const char* kShareTargets[] = {"wechat", "moments", "weibo", "qq"};
constexpr const char* kCities[] = {"上海", "北京", "杭州", "广州", "深圳", "成都", "武汉", "南京"};

// The share of each kind of operation, in the order of StreamGenerator::Kind.
constexpr double kMix[] = {0.38, 0.02, 0.35, 0.10, 0.08, 0.01, 0.02, 0.01};

int field_slot(const engine::Plan& plan, int type, const char* name) {
  if (type < 0) return -1;
  const auto& fields = plan.events[static_cast<std::size_t>(type)].fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string order_id(std::uint32_t member, std::uint32_t k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%07u%05u", member, k);
  return buf;
}

}  // namespace

std::string member_id(std::uint32_t k) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "m%07u", k);
  return buf;
}

StreamGenerator::StreamGenerator(const engine::Plan& plan, StreamOptions options)
    : plan_(plan),
      o_(options),
      state_(options.seed * 0x9E3779B97F4A7C15ull + 1),
      orders_(options.members, 0) {
  const char* names[] = {"purchase", "refund", "signin", "share", "review"};
  for (int k = 0; k < kKinds; ++k) type_[k] = -1;
  for (int k = 0; k <= kReview; ++k) type_[k] = plan.event_index(names[k]);
  amount_ = field_slot(plan, type_[kPurchase], "amount");
  category_ = field_slot(plan, type_[kPurchase], "category");
  channel_ = field_slot(plan, type_[kPurchase], "channel");
  order_id_ = field_slot(plan, type_[kPurchase], "order_id");
  refund_order_ = field_slot(plan, type_[kRefund], "order_id");
  signin_channel_ = field_slot(plan, type_[kSignin], "channel");
  share_target_ = field_slot(plan, type_[kShare], "target");
  review_order_ = field_slot(plan, type_[kReview], "order_id");
  review_stars_ = field_slot(plan, type_[kReview], "stars");
  reward_ = plan.rewards.empty() ? -1 : 0;
  privilege_ = plan.privileges.empty() ? -1 : 0;
  birthday_ = plan.attribute_index("birthday");
  city_ = plan.attribute_index("city");
  bool present[kKinds] = {type_[kPurchase] >= 0, type_[kRefund] >= 0 && refund_order_ >= 0,
                          type_[kSignin] >= 0,   type_[kShare] >= 0,
                          type_[kReview] >= 0,   reward_ >= 0,
                          privilege_ >= 0,       birthday_ >= 0 || city_ >= 0};
  double total = 0;
  for (int k = 0; k < kKinds; ++k) total += present[k] ? kMix[k] : 0.0;
  double acc = 0;
  for (int k = 0; k < kKinds; ++k) {
    acc += present[k] ? kMix[k] / total : 0.0;
    weights_[k] = acc;
  }
  for (int k = kKinds - 1; k >= 0; --k) {  // rounding must never pick a kind the program lacks
    if (present[k]) {
      weights_[k] = 1.0;
      break;
    }
    weights_[k] = 2.0;
  }
}

std::uint64_t StreamGenerator::random() {  // splitmix64
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double StreamGenerator::uniform() { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

// Heavy-tailed activity: member ranks x have density ∝ (x + x0)^(-2/3) with x0 = N/1000 (inverse
// CDF below), so the busiest 1% of members make about 14% of the operations (the busiest about one
// a day at 10 per member a year) and the quietest still a few a year; a bijective multiplicative
// hash scatters ranks over member numbers.
std::uint32_t StreamGenerator::pick_member() {
  double n = static_cast<double>(o_.members);
  double c0 = std::cbrt(n / 1000.0), c1 = std::cbrt(n + n / 1000.0);
  double r = c0 + uniform() * (c1 - c0);
  auto rank = static_cast<std::uint64_t>(std::max(0.0, r * r * r - n / 1000.0));
  if (rank >= o_.members) rank = o_.members - 1;
  return static_cast<std::uint32_t>((rank * 2654435761ull) % o_.members);
}

void StreamGenerator::set_field(engine::Operation& op, int slot, Value v) {
  if (slot >= 0) op.fields[static_cast<std::size_t>(slot)] = std::move(v);
}

void StreamGenerator::fill(BenchOp& b, Kind kind, std::uint32_t member, Instant t) {
  engine::Operation& op = b.op;
  b.member = member;
  char id[24];
  std::snprintf(id, sizeof id, "e%llu", static_cast<unsigned long long>(produced_));
  op.id = id;
  op.member = member_id(member);
  op.time = t;
  op.kind = OpKind::kEvent;
  op.event_type = -1;
  op.fields.clear();
  op.reward = -1;
  op.quantity = 1;
  op.privilege = -1;
  op.attributes.clear();
  if (kind == kRefund || kind == kReview) {
    if (orders_[member] == 0) kind = kind == kRefund ? kPurchase : kSignin;
  }
  if (kind <= kReview) {
    op.event_type = type_[kind];
    op.fields.assign(plan_.events[static_cast<std::size_t>(op.event_type)].fields.size(),
                     Value::none());
  }
  switch (kind) {
    case kPurchase: {
      // Log-normal spend: median ¥90, a long tail of large orders, in cents.
      double z =
          std::sqrt(-2.0 * std::log(1.0 - uniform())) * std::cos(6.283185307179586 * uniform());
      double yuan = std::clamp(90.0 * std::exp(1.1 * z), 0.5, 50000.0);
      auto cents = static_cast<std::int64_t>(std::llround(yuan * 100.0));
      set_field(op, amount_, Value::number(Decimal::from_units(cents * (Decimal::kScale / 100))));
      // Zipf-like categories: category c with weight 1/(c+1).
      double u = uniform() * 3.1032;  // H(12)
      int c = 0;
      for (double acc = 1.0; c + 1 < kCategoryCount && u > acc; acc += 1.0 / (c + 2)) ++c;
      set_field(op, category_, Value::string(kCategories[c]));
      double ch = uniform();
      set_field(op, channel_, Value::string(ch < 0.6 ? "app" : ch < 0.85 ? "mini_program" : "web"));
      if (orders_[member] < 65535) ++orders_[member];
      set_field(op, order_id_, Value::string(order_id(member, orders_[member])));
      break;
    }
    case kRefund: {
      std::uint32_t n = orders_[member];
      std::uint32_t back = static_cast<std::uint32_t>(random() % std::min<std::uint32_t>(n, 3));
      set_field(op, refund_order_, Value::string(order_id(member, n - back)));
      break;
    }
    case kSignin:
      set_field(op, signin_channel_, Value::string(uniform() < 0.7 ? "app" : "mini_program"));
      break;
    case kShare:
      set_field(op, share_target_, Value::string(kShareTargets[random() % 4]));
      break;
    case kReview: {
      std::uint32_t n = orders_[member];
      std::uint32_t back = static_cast<std::uint32_t>(random() % std::min<std::uint32_t>(n, 5));
      set_field(op, review_order_, Value::string(order_id(member, n - back)));
      set_field(op, review_stars_,
                Value::number(Decimal::from_int(static_cast<std::int64_t>(1 + random() % 5))));
      break;
    }
    case kRedeem:
      op.kind = OpKind::kRedeem;
      op.reward = reward_;
      break;
    case kUse:
      op.kind = OpKind::kUse;
      op.privilege = privilege_;
      break;
    case kSet:
      op.kind = OpKind::kSet;
      if (birthday_ >= 0) {
        LocalDate d{static_cast<std::int32_t>(random() % 12784)};  // 1970-01-01 .. 2004-12-31
        op.attributes.push_back({birthday_, Value::date(d)});
      }
      if (city_ >= 0) op.attributes.push_back({city_, Value::string(kCities[random() % 8])});
      break;
    case kKinds:
      break;
  }
}

std::size_t StreamGenerator::next(std::vector<BenchOp>& out, std::size_t n) {
  if (out.size() < n) out.resize(n);
  std::size_t made = 0;
  const std::int64_t span = o_.days * kMsPerDay;
  for (; made < n && produced_ < o_.events; ++made, ++produced_) {
    // Times rise through the span in file order (a history is in time order).
    Instant t{o_.start.ms + static_cast<std::int64_t>(static_cast<double>(produced_) /
                                                      static_cast<double>(o_.events) *
                                                      static_cast<double>(span))};
    double u = uniform();
    int kind = 0;
    while (kind + 1 < kKinds && u >= weights_[kind]) ++kind;
    fill(out[made], static_cast<Kind>(kind), pick_member(), t);
  }
  out.resize(made);
  return made;
}

}  // namespace merit::bench
