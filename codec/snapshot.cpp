// Full-fidelity JSON of member and shared state (nlohmann; not on the hot path).
#include "codec/snapshot.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "engine/model/award_records.hpp"
#include "engine/model/growth_records.hpp"
#include "engine/model/lot_records.hpp"

namespace merit::codec {

using engine::Value;
using nlohmann::json;

namespace {

json value_to(const Value& v) {
  json j = json::array({static_cast<int>(v.kind), v.i});
  if (v.kind == Value::Kind::kString) j.push_back(v.s);
  if (v.kind == Value::Kind::kSet) j.push_back(v.set);
  return j;
}

Value value_from(const json& j) {
  Value v;
  v.kind = static_cast<Value::Kind>(j.at(0).get<int>());
  v.i = j.at(1).get<std::int64_t>();
  if (v.kind == Value::Kind::kString) v.s = j.at(2).get<std::string>();
  if (v.kind == Value::Kind::kSet) v.set = j.at(2).get<std::vector<std::string>>();
  return v;
}

json windowed(const std::vector<std::pair<Instant, Decimal>>& w) {
  json a = json::array();
  for (const auto& [t, d] : w) a.push_back(json::array({t.ms, d.units()}));
  return a;
}

std::vector<std::pair<Instant, Decimal>> windowed_from(const json& a) {
  std::vector<std::pair<Instant, Decimal>> w;
  for (const auto& e : a)
    w.push_back(
        {Instant{e.at(0).get<std::int64_t>()}, Decimal::from_units(e.at(1).get<std::int64_t>())});
  return w;
}

}  // namespace

std::string member_snapshot_json(const engine::MemberState& whole) {
  engine::MemberState scratch;  // a member the table is working on: what it left closed, opened
  const engine::MemberState& m = engine::opened(whole, scratch);
  json j;
  j["id"] = m.id;
  j["exists"] = m.exists;
  j["joined"] = m.joined.ms;
  j["level"] = m.level;
  j["level_since"] = m.level_since.ms;
  j["review_base"] = m.review_base.ms;
  j["growth_lifetime"] = m.growth_lifetime;
  json gw = json::array();
  engine::for_each_growth(m, [&](const engine::GrowthEntry& g) {
    gw.push_back(json::array({g.at.ms, g.amount}));
  });
  j["growth_window"] = gw;
  json lots = json::array();
  engine::for_each_lot(m, [&](const engine::Lot& l) {
    lots.push_back(json::array(
        {l.id, l.reversible, l.earned.ms, l.expires, l.available_at, l.original, l.amount}));
  });
  j["lots"] = lots;
  json closed = json::array();
  for (const auto& c : m.closed_lots) closed.push_back(json::array({c.id, c.spent}));
  j["closed_lots"] = closed;
  json awards = json::array();
  // Every record, the ones still encoded first.
  std::vector<engine::AwardRecord> records;
  engine::decode_packed_awards(m, records);
  records.insert(records.end(), m.awards.begin(), m.awards.end());
  for (const auto& a : records) {
    json ls = json::array();
    for (const auto& [id, n] : a.lots) ls.push_back(json::array({id, n}));
    awards.push_back(json::array({a.event_type, a.key, a.time.ms, ls, a.growth, a.reversed}));
  }
  j["awards"] = awards;
  j["next_lot_id"] = m.next_lot_id;
  j["debt"] = m.debt;
  j["cap"] = json::array({m.cap_period, m.cap_used});
  json tasks = json::array();
  for (const auto& t : m.tasks) {
    tasks.push_back(json::array({t.count, t.completions, t.last_completion, t.completion_period,
                                 t.streak_day, t.sum.units(), windowed(t.window)}));
  }
  j["tasks"] = tasks;
  json privs = json::array();
  for (const auto& p : m.privileges) {
    json gs = json::array();
    for (const auto& g : p.grants) gs.push_back(json::array({g.remaining, g.until}));
    privs.push_back(json::array({p.period, p.used, gs}));
  }
  j["privileges"] = privs;
  json rewards = json::array();
  for (const auto& r : m.rewards) rewards.push_back(json::array({r.period, r.units}));
  j["rewards"] = rewards;
  json aggs = json::array();
  for (const auto& a : m.aggregates) {
    aggs.push_back(
        json::array({a.first, a.last, windowed(a.window), a.total_count, a.total_sum.units()}));
  }
  j["aggregates"] = aggs;
  j["tags"] = m.tags;
  json attrs = json::array();
  for (const auto& v : m.attributes) attrs.push_back(value_to(v));
  j["attributes"] = attrs;
  return j.dump();
}

Result<engine::MemberState> member_from_snapshot(std::string_view text) {
  try {
    json j = json::parse(text);
    engine::MemberState m;
    m.id = j.at("id").get<std::string>();
    m.exists = j.at("exists").get<bool>();
    m.joined = Instant{j.at("joined").get<std::int64_t>()};
    m.level = j.at("level").get<int>();
    m.level_since = Instant{j.at("level_since").get<std::int64_t>()};
    m.review_base = Instant{j.at("review_base").get<std::int64_t>()};
    m.growth_lifetime = j.at("growth_lifetime").get<std::int64_t>();
    for (const auto& g : j.at("growth_window"))
      m.growth_window.push_back(
          {Instant{g.at(0).get<std::int64_t>()}, g.at(1).get<std::int64_t>()});
    // The evaluator keeps the window in time order and relies on it (a sum over the whole window
    // reads the first and last instants only): a snapshot written before it did is put in order.
    std::stable_sort(
        m.growth_window.begin(), m.growth_window.end(),
        [](const engine::GrowthEntry& a, const engine::GrowthEntry& b) { return a.at < b.at; });
    for (const auto& l : j.at("lots")) {
      engine::Lot lot;
      lot.id = l.at(0).get<std::uint32_t>();
      lot.reversible = l.at(1).get<bool>();
      lot.earned = Instant{l.at(2).get<std::int64_t>()};
      lot.expires = l.at(3).get<std::int64_t>();
      lot.available_at = l.at(4).get<std::int64_t>();
      lot.original = l.at(5).get<std::int64_t>();
      lot.amount = l.at(6).get<std::int64_t>();
      m.lots.push_back(lot);
    }
    for (const auto& c : j.at("closed_lots"))
      m.closed_lots.push_back({c.at(0).get<std::uint32_t>(), c.at(1).get<std::int64_t>()});
    for (const auto& a : j.at("awards")) {
      engine::AwardRecord r;
      r.event_type = a.at(0).get<int>();
      r.key = a.at(1).get<std::uint64_t>();
      r.time = Instant{a.at(2).get<std::int64_t>()};
      for (const auto& l : a.at(3))
        r.lots.push_back({l.at(0).get<std::uint32_t>(), l.at(1).get<std::int64_t>()});
      r.growth = a.at(4).get<std::int64_t>();
      r.reversed = a.at(5).get<bool>();
      m.awards.push_back(std::move(r));
    }
    m.next_lot_id = j.at("next_lot_id").get<std::uint32_t>();
    m.debt = j.at("debt").get<std::int64_t>();
    m.cap_period = j.at("cap").at(0).get<std::int32_t>();
    m.cap_used = j.at("cap").at(1).get<std::int64_t>();
    for (const auto& t : j.at("tasks")) {
      engine::TaskState ts;
      ts.count = t.at(0).get<std::int64_t>();
      ts.completions = t.at(1).get<std::int64_t>();
      ts.last_completion = t.at(2).get<std::int64_t>();
      ts.completion_period = t.at(3).get<std::int32_t>();
      ts.streak_day = t.at(4).get<std::int32_t>();
      ts.sum = Decimal::from_units(t.at(5).get<std::int64_t>());
      ts.window = windowed_from(t.at(6));
      m.tasks.push_back(std::move(ts));
    }
    for (const auto& p : j.at("privileges")) {
      engine::PrivilegeState ps;
      ps.period = p.at(0).get<std::int32_t>();
      ps.used = p.at(1).get<std::int64_t>();
      for (const auto& g : p.at(2))
        ps.grants.push_back({g.at(0).get<std::int64_t>(), g.at(1).get<std::int64_t>()});
      m.privileges.push_back(std::move(ps));
    }
    for (const auto& r : j.at("rewards"))
      m.rewards.push_back({r.at(0).get<std::int32_t>(), r.at(1).get<std::int64_t>()});
    for (const auto& a : j.at("aggregates")) {
      engine::AggregateState as;
      as.first = a.at(0).get<std::int64_t>();
      as.last = a.at(1).get<std::int64_t>();
      as.window = windowed_from(a.at(2));
      as.total_count = a.at(3).get<std::int64_t>();
      as.total_sum = Decimal::from_units(a.at(4).get<std::int64_t>());
      m.aggregates.push_back(std::move(as));
    }
    m.tags = j.at("tags").get<std::vector<std::string>>();
    for (const auto& v : j.at("attributes")) m.attributes.push_back(value_from(v));
    return m;
  } catch (const std::exception& e) {
    return Error::invalid_argument(std::string("malformed member snapshot: ") + e.what());
  }
}

std::string shared_snapshot_json(const engine::SharedState& s) {
  json j;
  j["campaign_awarded"] = s.campaign_awarded;
  j["reward_redeemed"] = s.reward_redeemed;
  return j.dump();
}

Result<engine::SharedState> shared_from_snapshot(std::string_view text) {
  try {
    json j = json::parse(text);
    engine::SharedState s;
    s.campaign_awarded = j.at("campaign_awarded").get<std::vector<std::int64_t>>();
    s.reward_redeemed = j.at("reward_redeemed").get<std::vector<std::int64_t>>();
    return s;
  } catch (const std::exception& e) {
    return Error::invalid_argument(std::string("malformed shared snapshot: ") + e.what());
  }
}

}  // namespace merit::codec
