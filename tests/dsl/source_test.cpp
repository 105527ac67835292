// Source: byte offsets to 1-based line:column (code points), fragment base offsets, line texts.
#include "dsl/source.hpp"

#include <gtest/gtest.h>

namespace merit::dsl {
namespace {

TEST(Source, LocatesOffsetsAsOneBasedLinesAndColumns) {
  Source s("a.merit", "ab\ncd\n\nef");
  EXPECT_EQ(s.locate(0).line, 1u);
  EXPECT_EQ(s.locate(0).col, 1u);
  EXPECT_EQ(s.locate(1).col, 2u);
  EXPECT_EQ(s.locate(2).col, 3u);  // the newline itself
  EXPECT_EQ(s.locate(3).line, 2u);
  EXPECT_EQ(s.locate(3).col, 1u);
  EXPECT_EQ(s.locate(6).line, 3u);
  EXPECT_EQ(s.locate(8).line, 4u);
  EXPECT_EQ(s.locate(8).col, 2u);
}

TEST(Source, ClampsOffsetsPastTheEnd) {
  Source s("a.merit", "ab\ncd");
  EXPECT_EQ(s.locate(1000).line, 2u);
  EXPECT_EQ(s.locate(1000).col, 3u);
}

TEST(Source, CountsColumnsInCodePoints) {
  Source s("a.merit", "level V3 \"黄金会员\" from 5000");
  std::size_t from = std::string("level V3 \"黄金会员\" ").size();
  EXPECT_EQ(s.locate(from).col, 17u);
}

TEST(Source, ShiftsFragmentsByTheirBase) {
  Source s("p.merit.yaml", "event.amount >\n  x", ast::Loc{12, 11});
  EXPECT_EQ(s.locate(0).line, 12u);
  EXPECT_EQ(s.locate(0).col, 11u);
  EXPECT_EQ(s.locate(6).col, 17u);
  EXPECT_EQ(s.locate(17).line, 13u);  // later lines are not shifted sideways
  EXPECT_EQ(s.locate(17).col, 3u);
  EXPECT_EQ(s.base().line, 12u);
}

TEST(Source, ReturnsLineTextsWithoutNewlines) {
  Source s("a.merit", "one\r\ntwo\nthree");
  EXPECT_EQ(s.line_text(1), "one");
  EXPECT_EQ(s.line_text(2), "two");
  EXPECT_EQ(s.line_text(3), "three");
  EXPECT_EQ(s.line_text(4), "");
  EXPECT_EQ(s.line_text(0), "");
  Source f("y", "a\nb", ast::Loc{5, 3});
  EXPECT_EQ(f.line_text(6), "b");
}

}  // namespace
}  // namespace merit::dsl
