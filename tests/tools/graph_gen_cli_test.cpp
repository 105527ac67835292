// `merit graph` and `merit gen` as a user runs them: the binary built beside this test, the example
// program of LANGUAGE.md §4 drawn as SVG (when Graphviz is installed), the clear error without
// Graphviz, gen's reproducible output and argument errors, and replay's --strict.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/testing/test_util.hpp"
#include <sys/wait.h>
#include <unistd.h>

namespace merit {
namespace {

namespace fs = std::filesystem;

// The `merit` binary of this build: <build>/tools/merit beside <build>/tests/<this test>.
std::string merit_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  fs::path merit = self.parent_path().parent_path() / "tools" / "merit";
  return fs::exists(merit) ? merit.string() : "";
}

bool dot_installed() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs a shell command line, capturing stdout and stderr.
Outcome run(const std::string& command) {
  Outcome r;
  fs::path err_path =
      fs::temp_directory_path() / ("merit-cli-test-" + std::to_string(getpid()) + ".err");
  FILE* p = popen((command + " 2>" + err_path.string()).c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int rc = pclose(p);
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  std::ifstream in(err_path);
  r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  fs::remove(err_path);
  return r;
}

// The ```merit block of LANGUAGE.md §4, written to a temporary .merit file.
std::string language_example_file() {
  std::string doc = testing::read_file(testing::shared_dir() + "/spec/LANGUAGE.md");
  std::size_t begin = doc.find("```merit\n");
  std::size_t end = doc.find("```\n", begin + 9);
  if (begin == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << "no ```merit block in LANGUAGE.md";
    return "";
  }
  fs::path path =
      fs::temp_directory_path() / ("merit-language-example-" + std::to_string(getpid()) + ".merit");
  std::ofstream(path) << doc.substr(begin + 9, end - begin - 9);
  return path.string();
}

// Well-formed XML, checked by hand: every tag closes in order, one root element, quoted attributes
// and comments, processing instructions and the doctype skipped.
std::string xml_problem(const std::string& x) {
  std::vector<std::string> open;
  int roots = 0;
  std::size_t i = 0;
  while ((i = x.find('<', i)) != std::string::npos) {
    if (x.compare(i, 4, "<!--") == 0) {
      std::size_t e = x.find("-->", i);
      if (e == std::string::npos) return "unterminated comment";
      i = e + 3;
      continue;
    }
    if (x.compare(i, 2, "<?") == 0 || x.compare(i, 2, "<!") == 0) {
      std::size_t e = x.find('>', i);
      if (e == std::string::npos) return "unterminated declaration";
      i = e + 1;
      continue;
    }
    // Find the tag's end, skipping quoted attribute values.
    std::size_t j = i + 1;
    char quote = 0;
    for (; j < x.size(); ++j) {
      if (quote) {
        if (x[j] == quote) quote = 0;
      } else if (x[j] == '"' || x[j] == '\'') {
        quote = x[j];
      } else if (x[j] == '>') {
        break;
      } else if (x[j] == '<') {
        return "'<' inside a tag at " + std::to_string(j);
      }
    }
    if (j >= x.size()) return "unterminated tag at " + std::to_string(i);
    std::string tag = x.substr(i + 1, j - i - 1);
    if (!tag.empty() && tag[0] == '/') {
      std::string name = tag.substr(1, tag.find_first_of(" \t\n") - 1);
      if (open.empty() || open.back() != name) return "unexpected </" + name + ">";
      open.pop_back();
    } else if (!tag.empty() && tag.back() == '/') {
      if (open.empty()) ++roots;
    } else {
      if (open.empty()) ++roots;
      open.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
    }
    i = j + 1;
  }
  if (!open.empty()) return "<" + open.back() + "> never closes";
  if (roots != 1) return std::to_string(roots) + " root elements";
  return "";
}

TEST(GraphCli, RendersTheLanguageExampleAsSvg) {
  std::string merit = merit_binary();
  if (merit.empty()) GTEST_SKIP() << "the merit binary is not built";
  if (!dot_installed()) GTEST_SKIP() << "Graphviz's dot is not installed";
  std::string program = language_example_file();
  Outcome r = run(merit + " graph " + program + " --format svg");
  fs::remove(program);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("<?xml", 0), 0u) << r.out.substr(0, 200);
  EXPECT_NE(r.out.find("<svg"), std::string::npos);
  EXPECT_EQ(xml_problem(r.out), "");
  for (const char* name : {"purchase_points", "refund_reverse", "gold_welcome", "消费积分",
                           "signin_week", "member_day", "free_shipping", "coffee", "钻石会员"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
}

TEST(GraphCli, SvgWithoutGraphvizIsAClearError) {
  std::string merit = merit_binary();
  if (merit.empty()) GTEST_SKIP() << "the merit binary is not built";
  fs::path empty = fs::temp_directory_path() / ("merit-empty-path-" + std::to_string(getpid()));
  fs::create_directories(empty);
  std::string program = language_example_file();
  Outcome r = run("PATH=" + empty.string() + " " + merit + " graph " + program + " --format svg");
  fs::remove(program);
  fs::remove(empty);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "merit graph: --format svg needs Graphviz's `dot` on PATH (Debian: apt-get install "
            "graphviz); "
            "--format dot or json work without it\n");
}

TEST(GraphCli, DotAndJson) {
  std::string merit = merit_binary();
  if (merit.empty()) GTEST_SKIP() << "the merit binary is not built";
  std::string program = language_example_file();
  Outcome dot = run(merit + " graph " + program + " --font Sans");
  Outcome json = run(merit + " graph " + program + " --format json");
  Outcome bad = run(merit + " graph " + program + " --format png");
  Outcome missing = run(merit + " graph /nonexistent/p.merit");
  fs::remove(program);
  ASSERT_EQ(dot.status, 0) << dot.err;
  EXPECT_EQ(dot.out.rfind("digraph \"yanxuan\" {", 0), 0u);
  EXPECT_NE(dot.out.find("fontname=\"Sans\""), std::string::npos);
  EXPECT_NE(dot.out.find("\"event:refund\" -> \"rule:refund_reverse\";"), std::string::npos);
  ASSERT_EQ(json.status, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["program"]["id"], "yanxuan");
  EXPECT_FALSE(j["nodes"].empty());
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("cannot read program file /nonexistent/p.merit"), std::string::npos)
      << missing.err;
}

TEST(GenCli, SameArgumentsSameBytes) {
  std::string merit = merit_binary();
  if (merit.empty()) GTEST_SKIP() << "the merit binary is not built";
  Outcome a = run(merit + " gen --members 50 --events 2000 --seed 9 --days 14");
  Outcome b = run(merit + " gen --members 50 --events 2000 --seed 9 --days 14");
  Outcome c = run(merit + " gen --members 50 --events 2000 --seed 10 --days 14");
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_EQ(std::count(a.out.begin(), a.out.end(), '\n'), 2000);
  EXPECT_EQ(a.out.rfind("{\"id\": \"", 0), 0u);
}

TEST(GenCli, ForAProgramFromTheRulesets) {
  std::string merit = merit_binary();
  if (merit.empty()) GTEST_SKIP() << "the merit binary is not built";
  std::string program = testing::source_dir() + "/rulesets/mall/program.merit";
  Outcome r =
      run(merit + " gen --members 20 --events 300 --program " + program + " --start 2026-03-01");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"type\": \"visit\""), std::string::npos);
  EXPECT_NE(r.out.find("\"time\": \"2026-03-0"), std::string::npos);
}

TEST(GenCli, BadArguments) {
  std::string merit = merit_binary();
  if (merit.empty()) GTEST_SKIP() << "the merit binary is not built";
  Outcome zero = run(merit + " gen --members 0 --events 10");
  EXPECT_EQ(zero.status, 2);
  EXPECT_EQ(zero.err, "merit gen: --members must be between 1 and 100000000; got 0\n");
  Outcome date = run(merit + " gen --members 5 --events 10 --start 2026-02-30");
  EXPECT_EQ(date.status, 2);
  EXPECT_EQ(date.err, "merit gen: --start: \"2026-02-30\" is not a date like 2026-01-01\n");
  Outcome missing = run(merit + " gen --events 10");
  EXPECT_EQ(missing.status, 2);
}

// A rule refused when the members are advanced to the as-of time (a level_down raised by the
// review time carried out) is said on stderr, and makes --strict fail; the operations were fine.
TEST(ReplayCli, StrictFailsWhenARuleIsRefusedAtTheAsOfTime) {
  std::string merit = merit_binary();
  if (merit.empty()) GTEST_SKIP() << "the merit binary is not built";
  fs::path dir = fs::temp_directory_path() / ("merit-replay-cli-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "p.merit") << testing::kLevelDownBonusProgram;
  auto history = [&](const std::string& bonus) {
    std::ofstream(dir / "e.jsonl")
        << R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-01T10:00:00Z",)"
        << R"("data":{"amount":200}})"
        << "\n"
        << R"({"id":"s1","op":"set","member":"a","attributes":{"bonus":)" << bonus
        << R"(},"time":"2026-01-02T10:00:00Z"})"
        << "\n";
  };
  std::string cmd = merit + " replay --rules " + (dir / "p.merit").string() + " --events " +
                    (dir / "e.jsonl").string() + " --as-of 2026-03-01T00:00:00Z";
  history("9000000000000");
  Outcome lenient = run(cmd);
  Outcome strict = run(cmd + " --strict");
  history("5");
  Outcome fine = run(cmd + " --strict");
  fs::remove_all(dir);

  EXPECT_EQ(lenient.status, 0) << lenient.err;
  EXPECT_EQ(strict.status, 1) << strict.err;
  EXPECT_EQ(strict.out, lenient.out);
  EXPECT_NE(strict.out.find(R"("points":{"available":400,)"), std::string::npos) << strict.out;
  EXPECT_NE(strict.err.find("as of 2026-03-01T00:00:00Z: member \"a\": the rules of what time "
                            "raised refused: rule sorry: number out of range (evaluation_error)"),
            std::string::npos)
      << strict.err;
  EXPECT_NE(strict.err.find("2 applied, 0 duplicates (0 with a different body), 0 refused"),
            std::string::npos)
      << strict.err;
  EXPECT_NE(strict.err.find("1 members had a rule refused when advanced to the as-of time"),
            std::string::npos)
      << strict.err;
  EXPECT_EQ(fine.status, 0) << fine.err;
  EXPECT_NE(fine.out.find(R"("points":{"available":5407,)"), std::string::npos) << fine.out;
  EXPECT_EQ(fine.err.find("as-of time"), std::string::npos) << fine.err;
}

}  // namespace
}  // namespace merit
