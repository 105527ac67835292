// Decoding operations: exact money from the number's text, every malformed class answered with an
// error that names the operation and the key, CSV rows, and the canonical digest.
#include "codec/operation_codec.hpp"

#include <gtest/gtest.h>

#include "dsl/parse.hpp"
#include "engine/plan/planner.hpp"
#include "storage/memory_store.hpp"

namespace merit::codec {
namespace {

std::shared_ptr<const engine::Plan> plan() {
  static auto p = [] {
    auto parsed = dsl::parse_program(dsl::Source("t.merit", R"(
program p { timezone "Asia/Shanghai" currency "CNY" }
member { birthday: date; tags: set<string> }
event purchase { amount: money; qty: int; vip: bool; order_id: string; day: date; at: time; labels: set<string> }
event signin {}
levels by growth { level L1 from 0 }
rule r on purchase { points += event.amount }
reward mug cost 10 points
privilege wifi quota 1 per day
)"));
    return *engine::build_plan(*parsed.program);
  }();
  return p;
}

engine::Operation decode_ok(const std::string& json) {
  OperationDecoder d(*plan());
  engine::Operation op;
  auto r = d.decode(json, op);
  EXPECT_TRUE(r.has_value()) << json << "\n" << (r ? "" : r.error().message());
  return op;
}

void expect_error(const std::string& json, ErrorCode code, const std::string& needle) {
  OperationDecoder d(*plan());
  engine::Operation op;
  auto r = d.decode(json, op);
  ASSERT_FALSE(r.has_value()) << json;
  EXPECT_EQ(r.error().code(), code) << r.error().message();
  EXPECT_NE(r.error().message().find(needle), std::string::npos)
      << "message: " << r.error().message() << "\nexpected to mention: " << needle;
}

TEST(OperationDecoder, ReadsMoneyExactlyFromItsText) {
  auto op = decode_ok(
      R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-10T15:00:00Z","data":{"amount":999.99,"qty":3}})");
  EXPECT_EQ(op.kind, engine::OpKind::kEvent);
  EXPECT_EQ(op.fields[0].kind, engine::Value::Kind::kNumber);
  EXPECT_EQ(Decimal::from_units(op.fields[0].i).to_string(), "999.99");
  EXPECT_EQ(Decimal::from_units(op.fields[1].i).to_string(), "3");
  auto s = decode_ok(
      R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-10T15:00:00Z","data":{"amount":"268.00"}})");
  EXPECT_EQ(Decimal::from_units(s.fields[0].i).to_string(), "268");
  auto big = decode_ok(
      R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-10T15:00:00Z","data":{"amount":0.1}})");
  EXPECT_EQ(big.fields[0].i, 100000);  // 0.1 exactly, not 0.1000000000000000055
}

TEST(OperationDecoder, ReadsEveryFieldTypeAndKeyOrder) {
  auto op = decode_ok(
      R"({"data":{"vip":true,"order_id":"o-1","day":"2026-02-28","at":"2026-02-28T10:00:00+08:00","labels":["b","a","b"]},
                          "time":"2026-03-01T00:00","member":"m","type":"purchase","id":"x"})");
  EXPECT_EQ(op.event_type, plan()->event_index("purchase"));
  EXPECT_EQ(op.fields[2].i, 1);
  EXPECT_EQ(op.fields[3].s, "o-1");
  EXPECT_EQ(format_date(LocalDate{static_cast<std::int32_t>(op.fields[4].i)}), "2026-02-28");
  EXPECT_EQ(format_instant(Instant{op.fields[5].i}), "2026-02-28T02:00:00Z");
  EXPECT_EQ(op.fields[6].set, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(op.fields[0].kind, engine::Value::Kind::kNone);    // absent: none
  EXPECT_EQ(format_instant(op.time), "2026-02-28T16:00:00Z");  // no offset: the program's zone
}

TEST(OperationDecoder, ReadsRedeemUseAndSet) {
  auto r = decode_ok(
      R"({"id":"r1","op":"redeem","member":"a","reward":"mug","quantity":2,"time":"2026-01-11T09:00:00Z"})");
  EXPECT_EQ(r.kind, engine::OpKind::kRedeem);
  EXPECT_EQ(r.reward, 0);
  EXPECT_EQ(r.quantity, 2);
  auto unknown = decode_ok(
      R"({"id":"r2","op":"redeem","member":"a","reward":"teapot","time":"2026-01-11T09:00:00Z"})");
  EXPECT_EQ(unknown.reward, -1);  // refused by the evaluator in the order of §8
  auto u = decode_ok(
      R"({"id":"u1","op":"use","member":"a","privilege":"wifi","time":"2026-01-12T09:00:00Z"})");
  EXPECT_EQ(u.kind, engine::OpKind::kUse);
  EXPECT_EQ(u.privilege, 0);
  auto s = decode_ok(
      R"({"id":"s1","op":"set","member":"a","attributes":{"birthday":"1990-05-02"},"time":"2026-01-12T09:00:00Z"})");
  EXPECT_EQ(s.kind, engine::OpKind::kSet);
  ASSERT_EQ(s.attributes.size(), 1u);
  EXPECT_EQ(format_date(LocalDate{static_cast<std::int32_t>(s.attributes[0].second.i)}),
            "1990-05-02");
}

TEST(OperationDecoder, NamesEveryMalformedInput) {
  const std::string t = R"("time":"2026-01-10T15:00:00Z")";
  expect_error(R"({"id":"e1","type":"purchase")", ErrorCode::kInvalidArgument, "malformed JSON");
  expect_error("[1,2]", ErrorCode::kInvalidArgument, "expected an object");
  expect_error("", ErrorCode::kInvalidArgument, "malformed JSON");
  expect_error(R"({"type":"purchase","member":"a",)" + t + "}", ErrorCode::kInvalidArgument,
               "without an `id`");
  expect_error(R"({"id":"","type":"purchase","member":"a",)" + t + "}", ErrorCode::kInvalidArgument,
               "without an `id`");
  expect_error(R"({"id":"e1","type":"purchase",)" + t + "}", ErrorCode::kInvalidArgument,
               "no `member`");
  expect_error(R"({"id":"e1","type":"purchase","member":"a"})", ErrorCode::kInvalidArgument,
               "no `time`");
  expect_error(R"({"id":"e1","type":"purchase","member":"a","time":"yesterday"})",
               ErrorCode::kInvalidArgument, "invalid time \"yesterday\"");
  expect_error(R"({"id":"e1","type":"purchase","member":"a","time":"2026-02-30T10:00:00Z"})",
               ErrorCode::kInvalidArgument, "invalid time");
  expect_error(R"({"id":"e1","member":"a",)" + t + "}", ErrorCode::kInvalidArgument,
               "needs a `type`");
  expect_error(R"({"id":"e1","type":"purchse","member":"a",)" + t + "}",
               ErrorCode::kFailedPrecondition, "unknown event type `purchse`");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"amout":1}})",
               ErrorCode::kFailedPrecondition, "has no field `amout`");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"amount":"abc"}})",
               ErrorCode::kFailedPrecondition, "`abc` is not an exact number");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"amount":1e3}})",
               ErrorCode::kFailedPrecondition, "not an exact number");
  expect_error(
      R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"amount":0.0000001}})",
      ErrorCode::kFailedPrecondition, "at most 6 decimal places");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t +
                   R"(,"data":{"amount":99999999999999999999}})",
               ErrorCode::kInvalidArgument, "malformed JSON");
  expect_error(
      R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"amount":99999999999999}})",
      ErrorCode::kFailedPrecondition, "not an exact number");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"qty":1.5}})",
               ErrorCode::kFailedPrecondition, "is an int");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"vip":"yes"}})",
               ErrorCode::kFailedPrecondition, "is a boolean; got a string");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"order_id":5}})",
               ErrorCode::kFailedPrecondition,
               "operation \"e1\": field `order_id` of `purchase` is a string; got a number");
  expect_error(R"({"id":"e2","op":"set","member":"a","attributes":{"birthday":"May"},)" + t + "}",
               ErrorCode::kFailedPrecondition,
               "operation \"e2\": attribute `birthday`: \"May\" is not a date like 2026-12-18");
  expect_error(
      R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"day":"2026-13-01"}})",
      ErrorCode::kFailedPrecondition, "is not a date");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"labels":[1]}})",
               ErrorCode::kFailedPrecondition, "holds only strings");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":[1]})",
               ErrorCode::kInvalidArgument, "`data` must be an object");
  expect_error(R"({"id":"e1","op":"refund","member":"a",)" + t + "}", ErrorCode::kInvalidArgument,
               "unknown op `refund`");
  expect_error(R"({"id":"e1","op":"redeem","member":"a",)" + t + "}", ErrorCode::kInvalidArgument,
               "names a `reward`");
  expect_error(R"({"id":"e1","op":"redeem","member":"a","reward":"mug","quantity":1.5,)" + t + "}",
               ErrorCode::kInvalidArgument, "whole number");
  expect_error(R"({"id":"e1","op":"set","member":"a","attributes":{"city":"x"},)" + t + "}",
               ErrorCode::kFailedPrecondition, "`city` is not a declared member attribute");
  expect_error(R"({"id":"e1","type":"purchase","member":"a","color":"red",)" + t + "}",
               ErrorCode::kInvalidArgument, "unknown key `color`");
  expect_error(R"({"id":7,"type":"purchase","member":"a",)" + t + "}", ErrorCode::kInvalidArgument,
               "`id` must be a string");
  expect_error(
      R"({"id":")" + std::string(200, 'x') + R"(","type":"purchase","member":"a",)" + t + "}",
      ErrorCode::kInvalidArgument, "longer than 128 bytes");
  // RELIABILITY.md: deep nesting is answered, never recursed into (the decoder only walks the
  // shapes it expects, and the parser's depth limit is 32)
  std::string deep = R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"labels":)" +
                     std::string(40, '[') + std::string(40, ']') + "}}";
  expect_error(deep, ErrorCode::kFailedPrecondition, "holds only strings");
  std::string deeper = std::string(100000, '[') + std::string(100000, ']');
  expect_error(deeper, ErrorCode::kInvalidArgument, "malformed JSON");
  std::string deep_object = R"({"id":"e1","type":"purchase","member":"a",)" + t +
                            R"(,"data":{"order_id":)" + std::string(50000, '[') + "}}";
  expect_error(deep_object, ErrorCode::kInvalidArgument, "malformed JSON");
  expect_error(R"({"id":"e1","type":"purchase","member":"a",)" + t + R"(,"data":{"order_id":"x}})",
               ErrorCode::kInvalidArgument, "malformed JSON");
  expect_error("{\"id\":\"e\xff\",\"member\":\"a\"}", ErrorCode::kInvalidArgument,
               "malformed JSON");
}

TEST(OperationDecoder, DataBeforeTypeIsReadToo) {
  auto op = decode_ok(
      R"({"data":{"amount":12.5},"id":"e1","member":"a","time":"2026-01-10T15:00:00Z","type":"purchase"})");
  EXPECT_EQ(Decimal::from_units(op.fields[0].i).to_string(), "12.5");
}

TEST(OperationDecoder, DecodesCsvRowsLikeTheirJson) {
  OperationDecoder d(*plan());
  engine::Operation a, b;
  auto header = split_csv_line("id,type,member,time,amount,order_id");
  ASSERT_TRUE(
      d.decode_csv(header, split_csv_line(R"(e1,purchase,m,2026-01-10T15:00:00Z,100.50,"o,1")"), a)
          .has_value());
  ASSERT_TRUE(
      d.decode(
           R"({"id":"e1","type":"purchase","member":"m","time":"2026-01-10T15:00:00Z","data":{"amount":100.5,"order_id":"o,1"}})",
           b)
          .has_value());
  EXPECT_EQ(storage::canonical_digest(a), storage::canonical_digest(b));
  EXPECT_EQ(a.fields[3].s, "o,1");
  engine::Operation c;
  auto bad = d.decode_csv(header, split_csv_line("e2,purchase,m"), c);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("3 columns; the header has 6"), std::string::npos);
}

TEST(CanonicalDigest, IgnoresSpellingButNotMeaning) {
  auto a = decode_ok(
      R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-10T15:00:00Z","data":{"amount":100}})");
  auto b = decode_ok(
      R"({ "data" : { "amount" : 100.00 }, "time":"2026-01-10T23:00:00+08:00", "member":"a", "type":"purchase", "id":"e1" })");
  auto c = decode_ok(
      R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-10T15:00:00Z","data":{"amount":100.01}})");
  EXPECT_EQ(storage::canonical_digest(a), storage::canonical_digest(b));
  EXPECT_NE(storage::canonical_digest(a), storage::canonical_digest(c));
}

}  // namespace
}  // namespace merit::codec
