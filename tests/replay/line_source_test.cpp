// LineSource: a mapped file gives exactly the lines std::getline gives for the same bytes, and a
// replay read from the mapping ends where one read from a stream does.
#include "replay/line_source.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "replay/generate.hpp"
#include "replay/replay.hpp"

#include "tests/testing/test_util.hpp"
#include <unistd.h>

namespace merit::replay {
namespace {

namespace fs = std::filesystem;

class TempFile {
 public:
  explicit TempFile(const std::string& bytes) {
    path_ = (fs::temp_directory_path() /
             ("merit_line_source_" + std::to_string(::getpid()) + "_" + std::to_string(next_++)))
                .string();
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { fs::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  static inline int next_ = 0;
  std::string path_;
};

std::vector<std::string> all_lines(LineSource& source) {
  std::vector<std::string> out;
  std::string storage;
  std::string_view line;
  while (source.next(storage, line)) out.emplace_back(line);
  return out;
}

std::vector<std::string> getline_lines(const std::string& bytes) {
  std::istringstream in(bytes);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(LineSource, MappedLinesAreTheLinesGetlineReads) {
  const std::vector<std::string> inputs = {
      "",
      "a",
      "a\n",
      "\n",
      "\n\n",
      "a\n\nb",
      "a\nb\n",
      "{\"id\":\"e1\"}\r\n{\"id\":\"e2\"}\r\n",
      std::string(5000, 'x') + "\n" + std::string(3, 'y'),
      std::string("with\0nul\nafter", 14),
  };
  for (const auto& bytes : inputs) {
    TempFile f(bytes);
    auto mapped = LineSource::map_file(f.path());
    ASSERT_NE(mapped, nullptr) << "a regular file maps";
    EXPECT_EQ(mapped->mapped_size(), bytes.size());
    EXPECT_EQ(all_lines(*mapped), getline_lines(bytes)) << '"' << bytes.substr(0, 40) << '"';
    std::istringstream in(bytes);
    LineSource streamed(in);
    EXPECT_EQ(all_lines(streamed), getline_lines(bytes));
  }
}

TEST(LineSource, LinesSurviveTheMappingBeingGivenBack) {
  // Lines of varied lengths over 64 pages, the mapping given back a page behind the reader: every
  // line reads right, and so does one kept from far behind (reading it maps it again).
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::string bytes;
  std::vector<std::string> expect;
  for (int i = 0; bytes.size() < 64 * page; ++i) {
    std::string line = "line " + std::to_string(i) + " " + std::string(i % 97, 'a' + i % 26);
    expect.push_back(line);
    bytes += line + "\n";
  }
  TempFile f(bytes);
  auto mapped = LineSource::map_file(f.path(), page);
  ASSERT_NE(mapped, nullptr);
  std::string storage;
  std::string_view line, first;
  std::vector<std::string> got;
  while (mapped->next(storage, line)) {
    if (got.empty()) first = line;
    got.emplace_back(line);
  }
  EXPECT_EQ(got, expect);
  EXPECT_EQ(std::string(first), expect.front());
}

TEST(LineSource, OnlyRegularFilesAreMapped) {
  EXPECT_EQ(LineSource::map_file("/nonexistent/merit/events.jsonl"), nullptr);
  EXPECT_EQ(LineSource::map_file(fs::temp_directory_path().string()), nullptr) << "a directory";
  EXPECT_EQ(LineSource::map_file("/dev/null"), nullptr) << "a character device";
}

TEST(LineSource, ReplayFromAMappedFileEqualsReplayFromAStream) {
  auto loaded = load_program(testing::source_dir() + "/rulesets/ecommerce/program.merit");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  GenOptions o;
  o.members = 80;
  o.events = 6000;  // past the 4,096 lines after which a mapped file's size reserves room
  o.seed = 11;
  std::ostringstream history;
  ASSERT_TRUE(generate(*loaded->plan, o, history).has_value());
  TempFile f(history.str());

  auto replay = [&](LineSource& lines) {
    Replayer r(loaded->plan);
    std::string ledger;
    r.run(lines, false,
          [&](std::int64_t line, const engine::Operation* op, const engine::ApplyResult* res) {
            ledger += std::to_string(line);
            if (op && res) ledger += " " + ledger_json(r.plan(), *op, *res);
            ledger += "\n";
          });
    EXPECT_TRUE(r.summary().latest.has_value());
    r.finish(*r.summary().latest);
    std::ostringstream states;
    r.write_states(states, *r.summary().latest);
    return std::make_pair(states.str(), ledger);
  };
  auto mapped = LineSource::map_file(f.path(), static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)));
  ASSERT_NE(mapped, nullptr);
  auto [mapped_states, mapped_ledger] = replay(*mapped);
  std::ifstream in(f.path(), std::ios::binary);
  LineSource streamed(in);
  auto [stream_states, stream_ledger] = replay(streamed);
  EXPECT_GT(mapped_ledger.size(), 6000u * 20);
  EXPECT_EQ(mapped_states, stream_states);
  EXPECT_EQ(mapped_ledger, stream_ledger);
}

}  // namespace
}  // namespace merit::replay
