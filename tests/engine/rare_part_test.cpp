// The rarely used part of a member's state (privileges, rewards, tags, attributes) left encoded by
// the member table: it survives encoding, packing a member whose part is still closed gives the
// bytes of the open member, corrupt bytes stop the process; and the evaluator gives the same
// effects and states whether the part is closed between operations or not, through `set`, `use`,
// `redeem`, `tag` and `grant` statements and expressions reading member.X and member.tags, and an
// operation refused after it opened the part leaves the member as it was.
#include "engine/model/rare_part.hpp"

#include <gtest/gtest.h>

#include "codec/member_pack.hpp"
#include "codec/operation_codec.hpp"
#include "codec/snapshot.hpp"
#include "engine/eval/evaluator.hpp"

#include "tests/testing/member_history.hpp"
#include "tests/testing/test_util.hpp"

namespace merit::engine {
namespace {

MemberState sample() {
  MemberState m;
  m.id = "m";
  m.joined = Instant{1'767'225'600'000};
  m.privileges.resize(2);
  m.privileges[1].period = 24'300;
  m.privileges[1].used = 2;
  m.privileges[1].grants = {{3, 1'770'000'000'000}, {1, kNever}};
  m.rewards.resize(1);
  m.rewards[0].period = 0;
  m.rewards[0].units = 5;
  m.tags = {"vip", "新客"};
  m.attributes = {Value::string("上海"), Value::none(), Value::date(LocalDate{20'500})};
  return m;
}

TEST(RarePart, EncodesAndDecodesToTheSameState) {
  MemberState m = sample();
  std::string bytes;
  encode_rare(m, bytes);
  MemberState back;
  back.joined = m.joined;
  ASSERT_TRUE(decode_rare(bytes, back));
  EXPECT_EQ(back.privileges.size(), 2u);
  EXPECT_EQ(back.privileges[1].used, 2);
  ASSERT_EQ(back.privileges[1].grants.size(), 2u);
  EXPECT_EQ(back.privileges[1].grants[0].until, 1'770'000'000'000);
  EXPECT_EQ(back.privileges[1].grants[1].until, kNever);
  EXPECT_EQ(back.rewards[0].units, 5);
  EXPECT_EQ(back.tags, m.tags);
  EXPECT_EQ(back.attributes, m.attributes);
  // Every truncation and anything after the part is refused.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(decode_rare(std::string_view(bytes).substr(0, n), back)) << n;
  }
  EXPECT_FALSE(decode_rare(bytes + "x", back));
}

TEST(RarePart, AClosedPartPacksToTheBytesOfTheOpenMemberAndOpensToIt) {
  MemberState m = sample();
  m.exists = true;
  std::string bytes;
  codec::pack_member(m, bytes);
  MemberState closed;
  ASSERT_TRUE(codec::unpack_member(bytes, closed, true).has_value());
  EXPECT_TRUE(closed.rare_closed);
  EXPECT_TRUE(closed.privileges.empty() && closed.rewards.empty() && closed.tags.empty() &&
              closed.attributes.empty());
  std::string again;
  codec::pack_member(closed, again);
  EXPECT_EQ(again, bytes);
  // The snapshot (and the view) open it aside.
  EXPECT_EQ(codec::member_snapshot_json(closed), codec::member_snapshot_json(m));
  open_rare(closed);
  EXPECT_FALSE(closed.rare_closed);
  EXPECT_TRUE(closed.rare_packed.empty());
  EXPECT_EQ(closed.tags, m.tags);
  EXPECT_EQ(closed.attributes, m.attributes);
  open_rare(closed);  // open already: nothing changes
  EXPECT_EQ(closed.tags, m.tags);
  codec::pack_member(closed, again);
  EXPECT_EQ(again, bytes);
  // A state unpacked whole after one left closed has no trace of the closed part.
  ASSERT_TRUE(codec::unpack_member(bytes, closed, true).has_value());
  ASSERT_TRUE(codec::unpack_member(bytes, closed).has_value());
  EXPECT_FALSE(closed.rare_closed);
  EXPECT_EQ(closed.attributes, m.attributes);
}

TEST(RarePartDeathTest, CorruptClosedBytesStopTheProcessWhenOpened) {
  MemberState m;
  m.id = "m";
  m.rare_closed = true;
  m.rare_packed = std::string("\x05\x00", 2);  // five privileges, one given
  EXPECT_DEATH(open_rare(m), "corrupt privileges, rewards, tags or attributes of member m");
}

// Tags added and removed by rules, a rule whose `when` reads member.city and member.tags, grants
// from a task and from a reward, a privilege whose `for` reads an attribute, and a rule that can
// fail (a product out of range) after it read member.city.
constexpr const char* kProgram = R"(
program r { timezone "Asia/Shanghai" currency "CNY" }
member { city: string; tags: set<string> }
event purchase { amount: money }
event signin {}
event boost { n: int }
event share {}
event browse {}
event gift {}
levels by growth { level L1 from 0 }
rule earn on purchase { points += event.amount }
rule shanghai on purchase when member.city == "上海" and event.amount >= 100 {
  points += 10
  tag += "sh_big"
}
rule vip on purchase when "vip" in member.tags { points += 5 }
rule quiet on signin { tag -= "sh_big" }
rule spread on share { points += 1 }
rule vip_browse on browse when "vip" in member.tags { points += 2 }
rule present on gift { grant lounge 1 valid 7 days }
rule risky on boost when member.city == "上海" { points += event.n * 1000000000000 }
task third on purchase count 3 repeat { grant lounge 1 valid 30 days }
privilege lounge "贵宾厅" for member.city == "北京" quota 1 per month
reward voucher cost 50 points limit 2 per month { grant lounge 2 }
)";

std::vector<std::string> history() {
  std::vector<std::string> lines;
  for (int n = 0; n < 200; ++n) {
    const int day = n / 2;
    char time[40];
    std::snprintf(time, sizeof time, "2026-%02d-%02dT%02d:00:00Z", 1 + day / 28, 1 + day % 28,
                  8 + n % 2);
    std::string head =
        "{\"id\":\"e" + std::to_string(n) + "\",\"member\":\"m\",\"time\":\"" + time + "\",";
    switch (n % 20) {
      case 3:  // moves between cities, with and without the vip tag
        lines.push_back(head + R"("op":"set","attributes":{"city":")" +
                        (n % 60 < 20   ? "上海"
                         : n % 60 < 40 ? "北京"
                                       : "广州") +
                        "\"" + (n % 40 < 20 ? R"(,"tags":["vip"])" : "") + "}}");
        break;
      case 7:
      case 15:
        lines.push_back(head + R"("op":"use","privilege":"lounge"})");
        break;
      case 11:
        lines.push_back(head + R"("op":"redeem","reward":"voucher","quantity":1})");
        break;
      case 13:
        lines.push_back(head + R"("type":"signin"})");
        break;
      case 9:
        lines.push_back(head + R"("type":"browse"})");
        break;
      case 19:
        lines.push_back(head + R"("type":"gift"})");
        break;
      case 1:
      case 5:
        lines.push_back(head + R"("type":"share"})");
        break;
      case 17:  // fails in 上海, where it read member.city first
        lines.push_back(head + R"("type":"boost","data":{"n":)" +
                        (n % 3 == 0 ? "0" : "1000000000") + "}}");
        break;
      default:
        lines.push_back(head + R"("type":"purchase","data":{"amount":)" +
                        std::to_string(30 + (n * 41) % 120) + "}}");
        break;
    }
  }
  return lines;
}

TEST(RarePart, TheEvaluatorGivesTheSameWhetherThePartIsClosedBetweenOperations) {
  auto plan = testing::plan_of(kProgram);
  ASSERT_TRUE(plan);
  std::size_t stayed_closed = 0, opened = 0, refused_after_opening = 0;
  auto plain = testing::run_history(*plan, history(), [](MemberState&) {});
  auto closed = testing::run_history(
      *plan, history(),
      [](MemberState& m) { testing::repack(m, true); },  // as MemberTable::get leaves it
      [&](const Operation&, const MemberState& m, const ApplyResult& r) {
        ++(m.rare_closed ? stayed_closed : opened);
        if (!m.rare_closed && r.rejection) ++refused_after_opening;
        return std::string();
      });
  EXPECT_EQ(plain.effects, closed.effects);
  EXPECT_EQ(plain.snapshot, closed.snapshot);
  EXPECT_EQ(plain.packed, closed.packed);
  // The history did what it is for: some operations left the part closed (the shares), the
  // others opened it, some of those were refused; tags were added and removed.
  EXPECT_GE(stayed_closed, 20u);
  EXPECT_GT(opened, 100u);
  EXPECT_GT(refused_after_opening, 3u);
  EXPECT_NE(plain.effects.find("sh_big"), std::string::npos);
  EXPECT_NE(plain.effects.find(" refused limit_reached"), std::string::npos);
  EXPECT_NE(plain.effects.find(" refused evaluation_error"), std::string::npos);
}

}  // namespace
}  // namespace merit::engine
