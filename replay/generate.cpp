// The synthetic history generator: a day-by-day, hour-by-hour walk over the span that fills each
// hour's share of the events with jittered, increasing times, and decides for each slot who does
// what. The model is described in generate.hpp.
#include "replay/generate.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "dsl/diagnostics.hpp"
#include "dsl/parse.hpp"
#include "dsl/source.hpp"
#include "engine/check/checker.hpp"
#include "engine/plan/planner.hpp"

namespace merit::replay {

namespace {

__extension__ typedef unsigned __int128 u128;

using engine::FieldType;
using engine::Plan;

// ---- randomness: splitmix64 seeds xoshiro256** (Blackman & Vigna) ------------------------------

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t hash2(std::uint64_t a, std::uint64_t b) {
  std::uint64_t x = a ^ (b * 0xd1342543de82ef95ull);
  return splitmix64(x);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& v : s_) v = splitmix64(seed);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) (Lemire's multiply-shift; n >= 1).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<u128>(next()) * n) >> 64);
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return unit() < p; }
  // Index drawn from integer weights.
  std::size_t pick(const std::vector<std::uint32_t>& weights) {
    std::uint64_t total = 0;
    for (auto w : weights) total += w;
    std::uint64_t r = below(total);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// 2^x for x in [-4, 16], from a table of 2^(i/64) built by multiplication only (the same bits
// everywhere; a libm exp2 may differ in the last bit between libraries).
class Pow2 {
 public:
  Pow2() {
    table_[0] = 1.0;
    for (std::size_t i = 1; i < table_.size(); ++i) table_[i] = table_[i - 1] * 1.0108892860517005;
  }
  double operator()(double x) const {
    x = std::clamp(x, -4.0, 16.0);
    double scaled = (x + 4.0) * 64.0;
    auto steps = static_cast<std::int64_t>(scaled);
    double whole = 1.0 / 16.0;
    for (std::int64_t k = 0; k < steps / 64; ++k) whole *= 2.0;
    return whole * table_[static_cast<std::size_t>(steps % 64)];
  }

 private:
  std::array<double, 64> table_{};
};

// An approximately standard normal draw (Irwin-Hall: four uniforms, scaled to variance 1).
double normalish(Rng& rng) {
  double s = rng.unit() + rng.unit() + rng.unit() + rng.unit() - 2.0;
  return s * 1.7320508075688772;
}

// ---- names -------------------------------------------------------------------------------------

bool has(std::string_view name, std::string_view part) {
  return name.find(part) != std::string_view::npos;
}

bool has_any(std::string_view name, std::initializer_list<std::string_view> parts) {
  for (auto p : parts) {
    if (has(name, p)) return true;
  }
  return false;
}

bool id_like(std::string_view name) {
  return name == "id" || name.ends_with("_id") || name.ends_with("_no") ||
         has_any(name, {"order", "receipt", "txn", "invoice", "ticket", "serial"});
}

// "order_id" -> "ord", "receipt_id" -> "rcpt", "txn_id" -> "txn", "ticket_no" -> "ticket".
std::string id_stem(std::string_view name) {
  if (has(name, "order")) return "ord";
  if (has(name, "receipt")) return "rcpt";
  if (has(name, "txn") || has(name, "transaction")) return "txn";
  if (has(name, "invoice")) return "inv";
  std::string_view s = name;
  for (std::string_view suffix : {"_id", "_no"}) {
    if (s.ends_with(suffix)) s.remove_suffix(suffix.size());
  }
  if (s.empty()) s = "id";
  return std::string(s.substr(0, 8));
}

struct Choice {
  const char* text;
  std::uint32_t weight;
};

// Plausible values for string fields and attributes, by name.
constexpr Choice kCategories[] = {{"food", 24},    {"apparel", 16}, {"home", 14},  {"beauty", 12},
                                  {"digital", 10}, {"baby", 7},     {"sports", 6}, {"books", 5},
                                  {"pets", 4},     {"travel", 2}};
constexpr Choice kChannels[] = {{"app", 50}, {"mini_program", 25}, {"store", 15}, {"web", 10}};
constexpr Choice kMerchants[] = {{"starbucks", 14}, {"uniqlo", 12}, {"haidilao", 10},
                                 {"muji", 8},       {"watsons", 8}, {"sephora", 7},
                                 {"nike", 7},       {"apple", 6},   {"ikea", 6},
                                 {"luckin", 12},    {"hema", 6},    {"cinema", 4}};
constexpr Choice kTargets[] = {{"wechat", 45}, {"moments", 25},    {"weibo", 10},
                               {"douyin", 10}, {"xiaohongshu", 6}, {"qq", 4}};
constexpr Choice kCities[] = {
    {"Shanghai", 18}, {"Beijing", 16}, {"Shenzhen", 12}, {"Guangzhou", 11}, {"Hangzhou", 10},
    {"Chengdu", 9},   {"Nanjing", 7},  {"Wuhan", 7},     {"Suzhou", 5},     {"Xi'an", 5}};
constexpr Choice kPlans[] = {{"monthly", 60}, {"quarterly", 25}, {"yearly", 15}};
constexpr Choice kGenders[] = {{"female", 55}, {"male", 45}};
constexpr Choice kCardProducts[] = {
    {"classic", 50}, {"gold", 30}, {"platinum", 15}, {"signature", 5}};
constexpr Choice kTagChoices[] = {{"newsletter", 1},
                                  {"wechat_bound", 1},
                                  {"coupon_lover", 1},
                                  {"night_owl", 1},
                                  {"vip_event", 1}};

template <std::size_t N>
const char* choose(Rng& rng, const Choice (&choices)[N]) {
  std::uint64_t total = 0;
  for (const auto& c : choices) total += c.weight;
  std::uint64_t r = rng.below(total);
  for (const auto& c : choices) {
    if (r < c.weight) return c.text;
    r -= c.weight;
  }
  return choices[N - 1].text;
}

// ---- output helpers ----------------------------------------------------------------------------

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_padded(std::string& out, std::int64_t v, int width) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  for (auto n = static_cast<int>(r.ptr - buf); n < width; ++n) out += '0';
  out.append(buf, r.ptr);
}

// Cents as a JSON number with two decimals: 26800 -> 268.00.
void append_cents(std::string& out, std::int64_t cents) {
  append_int(out, cents / 100);
  out += '.';
  append_padded(out, cents % 100, 2);
}

void append_date(std::string& out, LocalDate d) {
  CivilDate c = to_civil(d);
  append_padded(out, c.year, 4);
  out += '-';
  append_padded(out, c.month, 2);
  out += '-';
  append_padded(out, c.day, 2);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

void append_instant(std::string& out, Instant t) {
  std::int64_t day = floor_div(t.ms, kMsPerDay);
  std::int64_t ms = t.ms - day * kMsPerDay;
  append_date(out, LocalDate{static_cast<std::int32_t>(day)});
  out += 'T';
  append_padded(out, ms / kMsPerHour, 2);
  out += ':';
  append_padded(out, (ms / kMsPerMinute) % 60, 2);
  out += ':';
  append_padded(out, (ms / kMsPerSecond) % 60, 2);
  out += 'Z';
}

// ---- the model of a program
// ----------------------------------------------------------------------

enum class FieldKind : std::uint8_t {
  kMoney,
  kSmallDecimal,
  kBool,
  kDate,
  kBirthDate,
  kBabyBirthDate,
  kTime,
  kDuration,
  kTags,
  kStars,
  kMinutes,
  kStage,
  kItems,
  kPhotos,
  kPlanDays,
  kAge,
  kSmallInt,
  kFreshKey,   // a purchase's order id (the field a `reverse` matches by)
  kReference,  // an earlier purchase's order id (refunds, reviews)
  kFreshId,    // any other id-like string
  kCategory,
  kChannel,
  kMerchant,
  kStore,
  kTarget,
  kTitle,
  kPlan,
  kCity,
  kGender,
  kAdviser,
  kInvitee,
  kNickname,
  kBranch,
  kCardProduct,
  kGeneric,
};

struct FieldGen {
  std::string key;  // `"amount": ` (already quoted)
  std::string name;
  FieldKind kind = FieldKind::kGeneric;
  std::string stem;  // kFreshKey / kFreshId / kGeneric: the text before the number
};

FieldKind kind_of(std::string_view name, FieldType type) {
  switch (type) {
    case FieldType::kMoney:
      return FieldKind::kMoney;
    case FieldType::kDecimal:
      return FieldKind::kSmallDecimal;
    case FieldType::kBool:
      return FieldKind::kBool;
    case FieldType::kTime:
      return FieldKind::kTime;
    case FieldType::kDuration:
      return FieldKind::kDuration;
    case FieldType::kStringSet:
      return FieldKind::kTags;
    case FieldType::kDate:
      if (has(name, "birth")) {
        return has_any(name, {"baby", "child", "kid", "infant"}) ? FieldKind::kBabyBirthDate
                                                                 : FieldKind::kBirthDate;
      }
      return FieldKind::kDate;
    case FieldType::kInt:
      if (has_any(name, {"star", "rating", "score"})) return FieldKind::kStars;
      if (has_any(name, {"minute", "duration", "seconds"})) return FieldKind::kMinutes;
      if (has_any(name, {"stage", "tier", "phase"})) return FieldKind::kStage;
      if (has_any(name, {"cans", "quantity", "qty", "items", "count", "pieces"}))
        return FieldKind::kItems;
      if (has_any(name, {"photo", "image", "picture"})) return FieldKind::kPhotos;
      if (has(name, "days")) return FieldKind::kPlanDays;
      if (has(name, "age")) return FieldKind::kAge;
      return FieldKind::kSmallInt;
    case FieldType::kLevel:
    case FieldType::kString:
      break;
  }
  if (id_like(name)) return FieldKind::kFreshId;
  if (has(name, "categor")) return FieldKind::kCategory;
  if (has(name, "channel") || has(name, "source")) return FieldKind::kChannel;
  if (has_any(name, {"merchant", "brand", "shop"})) return FieldKind::kMerchant;
  if (has(name, "store")) return FieldKind::kStore;
  if (has_any(name, {"target", "platform"})) return FieldKind::kTarget;
  if (has_any(name, {"title", "show", "video", "song", "content"})) return FieldKind::kTitle;
  if (has(name, "plan")) return FieldKind::kPlan;
  if (has(name, "city")) return FieldKind::kCity;
  if (has_any(name, {"gender", "sex"})) return FieldKind::kGender;
  if (has_any(name, {"adviser", "advisor", "staff", "employee", "guide"}))
    return FieldKind::kAdviser;
  if (has_any(name, {"invitee", "friend", "referee"})) return FieldKind::kInvitee;
  if (has_any(name, {"nickname", "nick"})) return FieldKind::kNickname;
  if (has(name, "branch")) return FieldKind::kBranch;
  if (has_any(name, {"card_product", "product", "card"})) return FieldKind::kCardProduct;
  return FieldKind::kGeneric;
}

FieldGen make_field(const engine::PlanField& f) {
  FieldGen g;
  g.key = "\"" + f.name + "\": ";
  g.name = f.name;
  g.kind = kind_of(f.name, f.type);
  g.stem = g.kind == FieldKind::kFreshId ? id_stem(f.name) : f.name;
  return g;
}

enum class Role : std::uint8_t { kPlain, kPurchase, kRefund, kSignin };

struct Shape {
  int type = -1;     // index into Plan::events
  std::string head;  // `, "type": "purchase", "member": "` is assembled per line; this is the type
  Role role = Role::kPlain;
  bool once = false;         // at most once per member
  bool first = false;        // a member's first event (register-like)
  bool profile = false;      // follows a `set` (profile_complete-like)
  std::uint32_t weight = 0;  // in the mix of random slots
  int once_bit = -1;         // bit in Member::once
  int refund_target = -1;    // kRefund: the purchase shape it reverses
  int ref_target = -1;       // a shape whose orders kReference fields name
  std::vector<FieldGen> fields;
};

constexpr int kOrderSlots = 3;

struct Member {
  std::uint64_t order[kOrderSlots] = {0, 0, 0};  // recent purchases' key numbers
  std::uint8_t order_shape[kOrderSlots] = {0, 0, 0};
  std::uint8_t orders = 0;      // slots in use
  std::uint8_t next_slot = 0;   // the slot the next purchase overwrites once all are used
  std::uint8_t refunded = 0;    // bit per slot
  std::uint8_t referenced = 0;  // bit per slot: named by a review-like event already
  bool seen = false;
  std::uint32_t once = 0;  // bit per once-shape done
};

// Local hours: quiet nights, a lunch bump, busy evenings.
constexpr std::uint32_t kHourWeights[24] = {3,  2,  1, 1, 1, 2,  4,  7,  9,  9,  9,  10,
                                            12, 11, 9, 9, 9, 10, 12, 15, 17, 16, 11, 6};
// Monday .. Sunday.
constexpr std::uint32_t kWeekdayWeights[7] = {95, 92, 95, 100, 110, 135, 128};

}  // namespace

Result<void> validate(const GenOptions& o) {
  if (o.members < 1 || o.members > 100'000'000) {
    return Error::invalid_argument(
        fmt::format("--members must be between 1 and 100000000; got {}", o.members));
  }
  if (o.events < 0)
    return Error::invalid_argument(fmt::format("--events must be at least 0; got {}", o.events));
  if (o.days < 1 || o.days > 36600) {
    return Error::invalid_argument(
        fmt::format("--days must be between 1 and 36600; got {}", o.days));
  }
  return ok();
}

struct Generator::Impl {
  const Plan& plan;
  GenOptions opt;
  Rng rng;
  Pow2 pow2;

  std::vector<Shape> shapes;
  std::vector<std::uint32_t> mix;  // weight per shape for random slots
  int signin_shape = -1;
  int first_shape = -1;              // register-like
  int profile_shape = -1;            // profile_complete-like
  int fallback_shape = -1;           // the most common repeatable shape
  std::vector<FieldGen> attributes;  // for `set` ops

  std::vector<Member> members;
  std::vector<std::uint64_t> activity;  // cumulative activity weights
  std::vector<std::uint32_t> habit;     // habitual signers
  std::vector<std::uint64_t> day_cum;   // cumulative day weights (size days + 1)
  int member_width = 6;

  // The walk.
  std::int64_t produced = 0;
  std::int64_t next_id = 1;  // operation ids: e1, s2, r3 ... (a repeat keeps its id)
  std::int64_t day = -1;     // index into the span
  std::int64_t day_total = 0, day_left = 0;
  std::int64_t habit_left = 0;
  std::size_t habit_pos = 0;
  int hour = 0;
  std::int64_t hour_count = 0, hour_index = 0;
  std::array<std::int64_t, 25> hour_cum{};
  Instant hour_start{};
  Instant last{};
  std::uint64_t next_key = 1000001;
  std::deque<std::string> queued;  // lines owed at the same time as the one before
  std::string scratch;

  Impl(const Plan& p, const GenOptions& o) : plan(p), opt(o), rng(mix_seed(o.seed)) {
    build_shapes();
    build_members();
    build_days();
  }

  static std::uint64_t mix_seed(std::uint64_t seed) {
    return hash2(seed, 0x6d65726974ull /* "merit" */);
  }

  // ---- setup ----

  void build_shapes() {
    // Which event types some `reverse` holds (refunds), and what it targets by which field.
    std::vector<int> refund_target(static_cast<std::size_t>(plan.declared_events), -1);
    std::vector<int> refund_field(static_cast<std::size_t>(plan.declared_events), -1);
    std::function<void(const std::vector<engine::PlanStmt>&, int)> scan = [&](const auto& body,
                                                                              int event) {
      for (const auto& s : body) {
        if (s.op == engine::StmtOp::kReverse && event >= 0 && event < plan.declared_events &&
            s.target >= 0 && s.target < plan.declared_events) {
          refund_target[static_cast<std::size_t>(event)] = s.target;
          if (s.value.ops.size() == 1 && s.value.ops[0].code == engine::OpCode::kField) {
            refund_field[static_cast<std::size_t>(event)] = s.value.ops[0].a;
          }
        }
        scan(s.then_body, event);
        scan(s.else_body, event);
      }
    };
    for (const auto& r : plan.rules) scan(r.body, r.event);
    for (const auto& t : plan.tasks) scan(t.body, t.event);

    std::vector<int> shape_of(static_cast<std::size_t>(plan.declared_events), -1);
    int once_bits = 0;
    for (int e = 0; e < plan.declared_events; ++e) {
      const auto& ev = plan.events[static_cast<std::size_t>(e)];
      Shape s;
      s.type = e;
      s.head = ev.name;
      std::string_view n = ev.name;
      bool money = false;
      for (const auto& f : ev.fields) money = money || f.type == FieldType::kMoney;
      for (const auto& f : ev.fields) s.fields.push_back(make_field(f));
      if (refund_target[static_cast<std::size_t>(e)] >= 0) {
        s.role = Role::kRefund;
      } else if (ev.reverse_field >= 0 ||
                 (money && !has_any(n, {"refund", "reversal", "return", "cancel"}))) {
        s.role = Role::kPurchase;
      } else if (has_any(n,
                         {"signin", "sign_in", "checkin", "check_in", "clock_in", "attendance"})) {
        s.role = Role::kSignin;
      }
      s.first =
          s.role == Role::kPlain && has_any(n, {"register", "signup", "sign_up", "join", "enrol"});
      s.profile = s.role == Role::kPlain && has(n, "profile");
      s.once =
          s.first || s.profile ||
          (s.role == Role::kPlain && (has_any(n, {"activat", "complete", "bind", "autopay", "wecom",
                                                  "open_account", "onboard", "first_"}) ||
                                      ev.fields.empty()));
      if (s.once && once_bits < 32)
        s.once_bit = once_bits++;
      else
        s.once = false;
      if (s.role == Role::kPurchase)
        s.weight = has_any(n, {"subscribe", "renew", "membership"}) ? 30 : 300;
      else if (s.role == Role::kSignin)
        s.weight = 60;
      else if (s.role == Role::kRefund)
        s.weight = 0;  // set below from its target
      else if (s.once)
        s.weight = 20;
      else if (has_any(n, {"scan", "share", "review", "comment", "like", "rate", "book", "referr",
                           "invite", "favorite", "cart", "lottery", "draw"}))
        s.weight = 50;
      else if (has_any(n, {"watch", "view", "visit", "browse", "play", "listen", "read", "open"}))
        s.weight = 200;
      else
        s.weight = 40;
      shape_of[static_cast<std::size_t>(e)] = static_cast<int>(shapes.size());
      shapes.push_back(std::move(s));
    }
    // Keys and references.
    for (auto& s : shapes) {
      const auto& ev = plan.events[static_cast<std::size_t>(s.type)];
      if (s.role == Role::kPurchase && ev.reverse_field >= 0) {
        auto& f = s.fields[static_cast<std::size_t>(ev.reverse_field)];
        f.kind = FieldKind::kFreshKey;
        f.stem = id_stem(f.name);
      }
      if (s.role == Role::kRefund) {
        int target =
            shape_of[static_cast<std::size_t>(refund_target[static_cast<std::size_t>(s.type)])];
        s.refund_target = target;
        s.ref_target = target;
        s.weight =
            std::max<std::uint32_t>(1, shapes[static_cast<std::size_t>(target)].weight * 4 / 100);
        int slot = refund_field[static_cast<std::size_t>(s.type)];
        if (slot >= 0 && static_cast<std::size_t>(slot) < s.fields.size()) {
          s.fields[static_cast<std::size_t>(slot)].kind = FieldKind::kReference;
        }
      }
    }
    // Other events with a field named like a purchase's key (reviews of orders) reference orders
    // too.
    for (auto& s : shapes) {
      if (s.role == Role::kRefund || s.role == Role::kPurchase) continue;
      for (auto& f : s.fields) {
        for (std::size_t t = 0; t < shapes.size(); ++t) {
          const auto& target_ev = plan.events[static_cast<std::size_t>(shapes[t].type)];
          if (shapes[t].role == Role::kPurchase && target_ev.reverse_field >= 0 &&
              target_ev.fields[static_cast<std::size_t>(target_ev.reverse_field)].name == f.name &&
              f.kind == FieldKind::kFreshId) {
            f.kind = FieldKind::kReference;
            s.ref_target = static_cast<int>(t);
          }
        }
      }
    }
    std::uint32_t best = 0;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      const auto& s = shapes[i];
      mix.push_back(s.first ? 0 : s.weight);  // a register-like event is only ever a first event
      if (s.role == Role::kSignin && signin_shape < 0) signin_shape = static_cast<int>(i);
      if (s.first && first_shape < 0) first_shape = static_cast<int>(i);
      if (s.profile && profile_shape < 0) profile_shape = static_cast<int>(i);
      if (!s.once && s.role != Role::kRefund && s.ref_target < 0 && s.weight > best) {
        best = s.weight;
        fallback_shape = static_cast<int>(i);
      }
    }
    if (fallback_shape < 0) {
      for (std::size_t i = 0; i < shapes.size(); ++i) {
        if (shapes[i].role != Role::kRefund) {
          fallback_shape = static_cast<int>(i);
          break;
        }
      }
    }
    for (const auto& a : plan.attributes) attributes.push_back(make_field(a));
  }

  void build_members() {
    members.assign(static_cast<std::size_t>(opt.members), Member{});
    activity.resize(static_cast<std::size_t>(opt.members));
    std::uint64_t total = 0;
    for (std::int64_t i = 0; i < opt.members; ++i) {
      // weight = 2^30 / u with u uniform in [1024, 2^20]: P(weight > x) ~ 1/x, capped at 1024 : 1.
      std::uint64_t u = (hash2(opt.seed, static_cast<std::uint64_t>(i) * 2 + 1) >> 44) + 1;
      total += (std::uint64_t{1} << 30) / std::max<std::uint64_t>(u, 1024);
      activity[static_cast<std::size_t>(i)] = total;
    }
    for (std::int64_t n = opt.members; n >= 1000000; n /= 10) ++member_width;
    if (signin_shape >= 0) {
      // ~8% of members sign in nearly daily; no more than a quarter of a day's events are theirs.
      std::int64_t cap = opt.events / opt.days / 4;
      for (std::int64_t i = 0; i < opt.members && static_cast<std::int64_t>(habit.size()) < cap;
           ++i) {
        if (hash2(opt.seed, static_cast<std::uint64_t>(i) * 2 + 2) % 100 < 8)
          habit.push_back(static_cast<std::uint32_t>(i));
      }
    }
  }

  void build_days() {
    std::vector<bool> month_days(32, false), weekdays(7, false);
    for (const auto& c : plan.campaigns) {
      if (c.schedule == engine::ScheduleMode::kMonthDay && c.month_day >= 1 && c.month_day <= 31) {
        month_days[static_cast<std::size_t>(c.month_day)] = true;
      }
      if (c.schedule == engine::ScheduleMode::kWeekday && c.weekday >= 0 && c.weekday < 7) {
        weekdays[static_cast<std::size_t>(c.weekday)] = true;
      }
    }
    day_cum.assign(static_cast<std::size_t>(opt.days) + 1, 0);
    for (std::int64_t d = 0; d < opt.days; ++d) {
      LocalDate date{opt.start.days + static_cast<std::int32_t>(d)};
      int wd = weekday(date);
      std::uint64_t w = kWeekdayWeights[wd] * (88 + rng.below(25));  // ±12% day to day
      if (month_days[static_cast<std::size_t>(to_civil(date).day)]) w = w * 3 / 2;
      if (weekdays[static_cast<std::size_t>(wd)]) w = w * 23 / 20;
      day_cum[static_cast<std::size_t>(d) + 1] = day_cum[static_cast<std::size_t>(d)] + w;
    }
  }

  // ---- the walk ----

  // Moves to the next slot's time; false when every day is done.
  bool advance() {
    while (hour_index >= hour_count) {
      if (day < 0 || ++hour >= 24) {
        if (!start_day()) return false;
      }
      hour_count =
          hour_cum[static_cast<std::size_t>(hour) + 1] - hour_cum[static_cast<std::size_t>(hour)];
      hour_index = 0;
      std::int64_t local =
          (static_cast<std::int64_t>(opt.start.days) + day) * kMsPerDay + hour * kMsPerHour;
      hour_start = plan.zone.from_local_ms(local);
    }
    return true;
  }

  bool start_day() {
    do {
      if (++day >= opt.days) return false;
      auto d = static_cast<std::size_t>(day);
      u128 n = static_cast<u128>(opt.events);
      auto lo = static_cast<std::int64_t>(n * day_cum[d] / day_cum.back());
      auto hi = static_cast<std::int64_t>(n * day_cum[d + 1] / day_cum.back());
      day_total = day_left = hi - lo;
    } while (day_total == 0 && day + 1 < opt.days);
    std::uint64_t hour_total = 0;
    for (auto w : kHourWeights) hour_total += w;
    std::uint64_t acc = 0;
    hour_cum[0] = 0;
    for (int h = 0; h < 24; ++h) {
      acc += kHourWeights[h];
      hour_cum[static_cast<std::size_t>(h) + 1] =
          static_cast<std::int64_t>(static_cast<u128>(day_total) * acc / hour_total);
    }
    hour = 0;
    // Today's habitual signers: a fresh order, and 4-12% of them skip the day.
    for (std::size_t i = habit.size(); i > 1; --i) std::swap(habit[i - 1], habit[rng.below(i)]);
    std::int64_t h = static_cast<std::int64_t>(habit.size());
    habit_left = std::min<std::int64_t>(h - h * static_cast<std::int64_t>(4 + rng.below(9)) / 100,
                                        day_total / 2);
    habit_pos = 0;
    return true;
  }

  Instant slot_time() {
    std::int64_t lo = hour_index * 3600 / hour_count;
    std::int64_t hi = (hour_index + 1) * 3600 / hour_count;
    std::int64_t sec =
        lo +
        (hi > lo ? static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(hi - lo))) : 0);
    Instant t{hour_start.ms + sec * kMsPerSecond};
    if (t < last) t = last;  // a DST fold never sends time backwards
    return t;
  }

  std::size_t pick_member() {
    std::uint64_t r = rng.below(activity.back());
    return static_cast<std::size_t>(std::upper_bound(activity.begin(), activity.end(), r) -
                                    activity.begin());
  }

  void append_member_id(std::string& out, std::size_t m) {
    out += "m-";
    append_padded(out, static_cast<std::int64_t>(m) + 1, member_width);
  }

  // `{"id": "e12", ` and the rest of an operation's opening.
  void open_line(std::string& out, char prefix) {
    out += "{\"id\": \"";
    out += prefix;
    append_int(out, next_id++);
    out += '"';
  }

  void close_member_time(std::string& out, std::size_t m, Instant t) {
    out += ", \"member\": \"";
    append_member_id(out, m);
    out += "\", \"time\": \"";
    append_instant(out, t);
    out += '"';
  }

  // ---- values ----

  std::int64_t money_cents() {
    // log2(amount) ~ N(6.3, 1.15): median ~ 80, one in twenty over ~530.
    double x = 6.3 + 1.15 * normalish(rng);
    auto cents = static_cast<std::int64_t>(pow2(x) * 100.0);
    cents = std::clamp<std::int64_t>(cents, 100, 5'000'000);
    std::uint64_t r = rng.below(10);
    if (r < 3)
      cents = cents / 100 * 100;  // 268.00
    else if (r < 5)
      cents = cents / 100 * 100 + 90;  // 268.90
    return cents;
  }

  void append_value(std::string& out, const FieldGen& f, std::size_t m, Instant t,
                    std::int64_t ref_key) {
    switch (f.kind) {
      case FieldKind::kMoney:
        append_cents(out, money_cents());
        return;
      case FieldKind::kSmallDecimal:
        append_cents(out, static_cast<std::int64_t>(rng.below(10000)));
        return;
      case FieldKind::kBool:
        out += rng.chance(0.5) ? "true" : "false";
        return;
      case FieldKind::kDate: {
        out += '"';
        append_date(
            out, LocalDate{plan.zone.date_of(t).days - static_cast<std::int32_t>(rng.below(31))});
        out += '"';
        return;
      }
      case FieldKind::kBirthDate: {
        std::int32_t days = static_cast<std::int32_t>(18 * 365 + rng.below(47 * 365));
        out += '"';
        append_date(out, LocalDate{opt.start.days - days});
        out += '"';
        return;
      }
      case FieldKind::kBabyBirthDate: {
        std::int32_t days = static_cast<std::int32_t>(rng.below(3 * 365));
        out += '"';
        append_date(out, LocalDate{opt.start.days - days});
        out += '"';
        return;
      }
      case FieldKind::kTime:
        out += '"';
        append_instant(
            out, Instant{t.ms - static_cast<std::int64_t>(rng.below(72 * 3600)) * kMsPerSecond});
        out += '"';
        return;
      case FieldKind::kDuration:
        append_int(out, 60 + static_cast<std::int64_t>(rng.below(7200)));
        return;
      case FieldKind::kTags: {
        out += '[';
        bool first = true;
        for (const auto& c : kTagChoices) {
          if (rng.chance(0.3)) {
            if (!first) out += ", ";
            out += '"';
            out += c.text;
            out += '"';
            first = false;
          }
        }
        out += ']';
        return;
      }
      case FieldKind::kStars: {
        static const std::vector<std::uint32_t> w = {5, 5, 10, 25, 55};
        append_int(out, static_cast<std::int64_t>(rng.pick(w)) + 1);
        return;
      }
      case FieldKind::kMinutes: {
        auto minutes = static_cast<std::int64_t>(pow2(4.5 + 1.1 * normalish(rng)));
        append_int(out, std::clamp<std::int64_t>(minutes, 1, 600));
        return;
      }
      case FieldKind::kStage:
        append_int(out, 1 + static_cast<std::int64_t>(rng.below(4)));
        return;
      case FieldKind::kItems: {
        static const std::vector<std::uint32_t> w = {45, 25, 12, 8, 5, 5};
        append_int(out, static_cast<std::int64_t>(rng.pick(w)) + 1);
        return;
      }
      case FieldKind::kPhotos: {
        static const std::vector<std::uint32_t> w = {50, 15, 12, 10, 5, 3, 2, 1, 1, 1};
        append_int(out, static_cast<std::int64_t>(rng.pick(w)));
        return;
      }
      case FieldKind::kPlanDays: {
        static const std::int64_t days[] = {30, 30, 30, 90, 365};
        append_int(out, days[rng.below(5)]);
        return;
      }
      case FieldKind::kAge:
        append_int(out, 18 + static_cast<std::int64_t>(rng.below(50)));
        return;
      case FieldKind::kSmallInt:
        append_int(out, 1 + static_cast<std::int64_t>(rng.below(10)));
        return;
      case FieldKind::kFreshKey:
      case FieldKind::kReference:
        out += '"';
        out += f.stem;
        out += '-';
        append_int(out, ref_key);
        out += '"';
        return;
      case FieldKind::kFreshId:
        out += '"';
        out += f.stem;
        out += '-';
        append_int(out, static_cast<std::int64_t>(next_key++));
        out += '"';
        return;
      default:
        break;
    }
    out += '"';
    switch (f.kind) {
      case FieldKind::kCategory:
        out += choose(rng, kCategories);
        break;
      case FieldKind::kChannel:
        out += choose(rng, kChannels);
        break;
      case FieldKind::kMerchant:
        out += choose(rng, kMerchants);
        break;
      case FieldKind::kStore: {
        // Most members keep to their home store.
        std::uint64_t store = rng.chance(0.8) ? hash2(opt.seed, m * 2 + 7) % 24 : rng.below(24);
        out += "store-";
        append_padded(out, static_cast<std::int64_t>(store) + 1, 2);
        break;
      }
      case FieldKind::kTarget:
        out += choose(rng, kTargets);
        break;
      case FieldKind::kTitle: {
        auto n =
            static_cast<std::int64_t>(pow2(rng.unit() * 9.0));  // a few titles are watched a lot
        out += "title-";
        append_int(out, n);
        break;
      }
      case FieldKind::kPlan:
        out += choose(rng, kPlans);
        break;
      case FieldKind::kCity:
        out += choose(rng, kCities);
        break;
      case FieldKind::kGender:
        out += choose(rng, kGenders);
        break;
      case FieldKind::kAdviser:
        out += "adviser-";
        append_padded(out, 1 + static_cast<std::int64_t>(hash2(opt.seed, m * 2 + 9) % 40), 2);
        break;
      case FieldKind::kInvitee:
        out += "guest-";
        append_int(out, static_cast<std::int64_t>(next_key++));
        break;
      case FieldKind::kNickname:
        out += "user";
        append_padded(out, static_cast<std::int64_t>(hash2(opt.seed, m * 2 + 11) % 10000), 4);
        break;
      case FieldKind::kBranch:
        out += "branch-";
        append_padded(out, 1 + static_cast<std::int64_t>(hash2(opt.seed, m * 2 + 13) % 30), 2);
        break;
      case FieldKind::kCardProduct:
        out += choose(rng, kCardProducts);
        break;
      default:
        out += f.stem;
        out += '-';
        append_int(out, 1 + static_cast<std::int64_t>(rng.below(20)));
        break;
    }
    out += '"';
  }

  // ---- operations ----

  // An event of `shape` by member `m`; `ref_slot` is the member's order slot a refund or review
  // names (-1: none).
  void write_event(std::string& out, const Shape& shape, std::size_t m, Instant t, int ref_slot) {
    Member& mem = members[m];
    std::int64_t fresh_key = 0;
    bool keyed = false;
    for (const auto& f : shape.fields) keyed = keyed || f.kind == FieldKind::kFreshKey;
    if (keyed) fresh_key = static_cast<std::int64_t>(next_key++);
    open_line(out, 'e');
    out += ", \"type\": \"";
    out += shape.head;
    out += '"';
    close_member_time(out, m, t);
    out += ", \"data\": {";
    bool first = true;
    for (const auto& f : shape.fields) {
      if (!first) out += ", ";
      first = false;
      out += f.key;
      std::int64_t key = f.kind == FieldKind::kFreshKey ? fresh_key
                         : ref_slot >= 0 ? static_cast<std::int64_t>(mem.order[ref_slot])
                                         : 0;
      append_value(out, f, m, t, key);
    }
    out += "}}";
    if (keyed) {
      int slot = mem.orders < kOrderSlots ? mem.orders++ : mem.next_slot;
      if (mem.orders == kOrderSlots && slot == mem.next_slot)
        mem.next_slot = static_cast<std::uint8_t>((slot + 1) % kOrderSlots);
      mem.order[slot] = static_cast<std::uint64_t>(fresh_key);
      mem.order_shape[slot] = static_cast<std::uint8_t>(&shape - shapes.data());
      mem.refunded = static_cast<std::uint8_t>(mem.refunded & ~(1u << slot));
      mem.referenced = static_cast<std::uint8_t>(mem.referenced & ~(1u << slot));
    }
    if (shape.once_bit >= 0) mem.once |= 1u << shape.once_bit;
  }

  // A slot among the member's orders of `target` shape whose bit in `exclude` is clear, or -1.
  int pick_order(const Member& mem, int target, std::uint8_t exclude) {
    int candidates[kOrderSlots];
    int n = 0;
    for (int i = 0; i < mem.orders; ++i) {
      if (mem.order_shape[i] == target && !((exclude >> i) & 1u)) candidates[n++] = i;
    }
    return n == 0 ? -1 : candidates[rng.below(static_cast<std::uint64_t>(n))];
  }

  void write_set(std::string& out, std::size_t m, Instant t) {
    open_line(out, 's');
    out += ", \"op\": \"set\", \"member\": \"";
    append_member_id(out, m);
    out += "\", \"attributes\": {";
    bool first = true;
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      if (i + 1 < attributes.size() || !first) {
        if (!rng.chance(0.85)) continue;  // most profiles are mostly filled in
      }
      if (!first) out += ", ";
      first = false;
      out += attributes[i].key;
      append_value(out, attributes[i], m, t, 0);
    }
    out += "}, \"time\": \"";
    append_instant(out, t);
    out += "\"}";
  }

  void write_redeem(std::string& out, std::size_t m, Instant t) {
    const auto& r = plan.rewards[rng.below(plan.rewards.size())];
    open_line(out, 'r');
    out += ", \"op\": \"redeem\", \"member\": \"";
    append_member_id(out, m);
    out += "\", \"reward\": \"";
    out += r.id;
    out += "\", \"quantity\": ";
    append_int(out, rng.chance(0.9) ? 1 : 2);
    out += ", \"time\": \"";
    append_instant(out, t);
    out += "\"}";
  }

  void write_use(std::string& out, std::size_t m, Instant t) {
    const auto& p = plan.privileges[rng.below(plan.privileges.size())];
    open_line(out, 'u');
    out += ", \"op\": \"use\", \"member\": \"";
    append_member_id(out, m);
    out += "\", \"privilege\": \"";
    out += p.id;
    out += "\", \"time\": \"";
    append_instant(out, t);
    out += "\"}";
  }

  // A member's first appearance: a register-like event when the program has one (true, `shape`
  // set), else whatever the slot drew (false).
  bool first_appearance(std::size_t m, const Shape*& shape) {
    members[m].seen = true;
    if (first_shape >= 0) {
      shape = &shapes[static_cast<std::size_t>(first_shape)];
      return true;
    }
    return false;
  }

  // After a member's first line: most fill in their profile (a `set`, then a profile-complete
  // event when the program has one), at the same time.
  void queue_profile(std::size_t m, Instant t) {
    if (attributes.empty() || !rng.chance(0.65)) return;
    std::string line;
    write_set(line, m, t);
    queued.push_back(std::move(line));
    if (profile_shape >= 0 && rng.chance(0.7)) {
      std::string p;
      write_event(p, shapes[static_cast<std::size_t>(profile_shape)], m, t, -1);
      queued.push_back(std::move(p));
    }
  }

  bool next(std::string& out) {
    if (produced >= opt.events) return false;
    if (!advance()) return false;
    Instant t = slot_time();
    ++hour_index;
    --day_left;
    if (!queued.empty()) {
      // A line owed at the time of the one before it (a retry, a profile after a first event).
      out += queued.front();
      queued.pop_front();
      ++produced;
      return true;
    }
    last = t;
    scratch.clear();
    generate_slot(scratch, t);
    out += scratch;
    ++produced;
    if (queued.empty() && rng.chance(0.01)) queued.push_back(scratch);  // an exact repeat (a retry)
    return true;
  }

  void generate_slot(std::string& out, Instant t) {
    // A habitual signer's daily sign-in, spread evenly over the day's slots.
    if (habit_left > 0 && static_cast<std::int64_t>(
                              rng.below(static_cast<std::uint64_t>(day_left + 1))) < habit_left) {
      --habit_left;
      std::size_t m = habit[habit_pos++];
      const Shape* shape = &shapes[static_cast<std::size_t>(signin_shape)];
      bool fresh = !members[m].seen;
      if (fresh) first_appearance(m, shape);
      write_event(out, *shape, m, t, -1);
      if (fresh) queue_profile(m, t);
      return;
    }
    std::size_t m = pick_member();
    if (!members[m].seen) {
      const Shape* shape = nullptr;
      if (!first_appearance(m, shape)) shape = &shapes[rng.pick(mix)];
      write_shape(out, shape, m, t);
      queue_profile(m, t);
      return;
    }
    std::uint64_t r = rng.below(1000);
    if (r < 12 && !plan.rewards.empty()) return write_redeem(out, m, t);
    if (r >= 12 && r < 24 && !plan.privileges.empty()) return write_use(out, m, t);
    write_shape(out, &shapes[rng.pick(mix)], m, t);
  }

  // Writes an event of `shape`, or of a fitting substitute when the member cannot do it (a refund
  // with nothing to refund becomes a purchase; a one-off done before becomes the usual event).
  void write_shape(std::string& out, const Shape* shape, std::size_t m, Instant t) {
    Member& mem = members[m];
    if (shape->once && (mem.once >> shape->once_bit) & 1u)
      shape = &shapes[static_cast<std::size_t>(fallback_shape)];
    int ref_slot = -1;
    if (shape->role == Role::kRefund) {
      ref_slot = pick_order(mem, shape->refund_target, mem.refunded);
      if (ref_slot < 0) {
        shape = &shapes[static_cast<std::size_t>(shape->refund_target)];
      } else {
        mem.refunded = static_cast<std::uint8_t>(mem.refunded | (1u << ref_slot));
      }
    } else if (shape->ref_target >= 0) {
      ref_slot = pick_order(mem, shape->ref_target,
                            static_cast<std::uint8_t>(mem.refunded | mem.referenced));
      if (ref_slot < 0) {
        shape = &shapes[static_cast<std::size_t>(shape->ref_target)];
      } else {
        mem.referenced = static_cast<std::uint8_t>(mem.referenced | (1u << ref_slot));
      }
    }
    write_event(out, *shape, m, t, ref_slot);
  }
};

Generator::Generator(const engine::Plan& plan, const GenOptions& options)
    : impl_(std::make_unique<Impl>(plan, options)) {}
Generator::~Generator() = default;
Generator::Generator(Generator&&) noexcept = default;
Generator& Generator::operator=(Generator&&) noexcept = default;

bool Generator::next(std::string& out) { return impl_->next(out); }
std::int64_t Generator::produced() const { return impl_->produced; }

Result<void> generate(const engine::Plan& plan, const GenOptions& options, std::ostream& out) {
  MERIT_RETURN_IF_ERROR(validate(options));
  Generator gen(plan, options);
  std::string buffer;
  buffer.reserve(1 << 20);
  while (gen.next(buffer)) {
    buffer += '\n';
    if (buffer.size() >= (1 << 20) - 4096) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
      if (!out) return Error::unavailable("the output stream failed");
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.flush();
  if (!out) return Error::unavailable("the output stream failed");
  return ok();
}

const std::string& default_program_text() {
  static const std::string text = R"(program yanxuan "严选会员" {
  timezone "Asia/Shanghai"
  currency "CNY"
}

member {
  birthday: date
  city: string
  tags: set<string>
}

event purchase { amount: money; category: string; channel: string; order_id: string }
event refund   { order_id: string }
event signin   {}
event share    { target: string }
event review   { order_id: string; stars: int }

points "积分" {
  expire after 365 days
  cap 5000 per day
}

growth "成长值" {
  window 365 days
}

levels by growth review yearly downgrade one {
  level V1 "普通会员" from 0      { points_rate 1 }
  level V2 "白银会员" from 1000   { points_rate 1.2 }
  level V3 "黄金会员" from 5000   { points_rate 1.5 }
  level V4 "钻石会员" from 20000  { points_rate 2.0 }
}

rule purchase_points "消费积分" on purchase when event.amount > 0 {
  points += event.amount * level.points_rate
  growth += event.amount
}

rule refund_reverse "退款扣回" on refund {
  reverse purchase where order_id == event.order_id
}

rule gold_welcome "升级礼" on level_up when event.to == V3 {
  points += 500
}

package newbie "新人礼包" available 30 days after join

task first_purchase "新手尝新" in newbie on purchase {
  points += 200 expire after 30 days
}

task signin_week "连续签到7天" on signin streak 7 days repeat {
  points += 70
}

task buy_three "30天消费3次" on purchase when event.amount >= 50 count 3 within 30 days repeat monthly {
  growth += 300
}

campaign member_day "会员日双倍积分" on purchase every month on day 18 {
  points *= 2
}

privilege free_shipping "包邮券" for level >= V2 quota 4 per month
privilege birthday_gift "生日礼" for level >= V3 and month(member.birthday) == month(now) quota 1 per year

reward coffee "咖啡券" cost 300 points stock 1000 limit 1 per day for level >= V2

segment dormant "沉睡会员" when days_since(last(purchase)) > 90
)";
  return text;
}

Result<std::shared_ptr<const engine::Plan>> default_program_plan() {
  static std::once_flag once;
  static Result<std::shared_ptr<const engine::Plan>> plan = Error::internal("not built");
  std::call_once(once, [] {
    dsl::Source source("<default program>", default_program_text());
    dsl::ParseOutput parsed = dsl::parse_program(source);
    if (!parsed.program) {
      plan = Error::internal("the built-in program does not parse");
      return;
    }
    for (const auto& d : engine::check_program(*parsed.program)) {
      if (d.severity == dsl::Severity::kError) {
        plan = Error::internal("the built-in program has an error: " + d.message);
        return;
      }
    }
    plan = engine::build_plan(*parsed.program, "yanxuan@builtin");
  });
  return plan;
}

}  // namespace merit::replay
