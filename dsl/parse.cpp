// The .merit front door: splits a file into top-level declarations, parses each with the X3
// grammar (dsl/grammar/), resynchronises after errors, keeps comments, enforces nesting limits, and
// offers the clause parsers the YAML loader uses.
#include "dsl/parse.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "dsl/grammar/grammar.hpp"
#include "dsl/suggest.hpp"

namespace merit::dsl {
namespace {

// Nesting limits (LANGUAGE.md decisions): deeper input is a diagnostic, never a stack overflow.
constexpr int kMaxExpressionDepth = 64;
constexpr int kMaxBlockDepth = 32;

const std::vector<std::string>& declaration_keywords() {
  static const std::vector<std::string> words = {
      "program", "member", "event",    "points",    "growth", "levels", "rule",
      "package", "task",   "campaign", "privilege", "reward", "card",   "segment"};
  return words;
}

bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9'); }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::size_t word_end(std::string_view text, std::size_t p) {
  if (p >= text.size() || !is_word_start(text[p])) return p;
  while (p < text.size() && is_word_char(text[p])) ++p;
  return p;
}

// Skips whitespace and comments from p.
std::size_t skip_space(std::string_view text, std::size_t p) {
  while (p < text.size()) {
    if (is_space(text[p])) {
      ++p;
    } else if (text[p] == '#') {
      while (p < text.size() && text[p] != '\n') ++p;
    } else {
      break;
    }
  }
  return p;
}

// The token at p, for messages: a word, a number, a string's start, or one character (a whole
// UTF-8 sequence).
std::string token_at(std::string_view text, std::size_t p) {
  if (p >= text.size()) return "end of input";
  std::size_t e = word_end(text, p);
  if (e == p && text[p] >= '0' && text[p] <= '9') {
    while (e < text.size() && (is_word_char(text[e]) || text[e] == '.')) ++e;
  }
  if (e == p) {
    e = p + 1;
    while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
  }
  e = std::min(e, p + 40);
  return std::string(text.substr(p, e - p));
}

// The token that ends just before p (skipping whitespace back): an operator run or a word.
std::string token_before(std::string_view text, std::size_t p) {
  std::size_t e = std::min(p, text.size());
  while (e > 0 && is_space(text[e - 1])) --e;
  if (e == 0) return "";
  std::size_t b = e;
  if (is_word_char(text[e - 1])) {
    while (b > 0 && is_word_char(text[b - 1])) --b;
  } else {
    const std::string_view op_chars = "+-*/=<>!";
    while (b > 0 && e - b < 2 && op_chars.find(text[b - 1]) != std::string_view::npos) --b;
    if (b == e) b = e - 1;
  }
  return std::string(text.substr(b, e - b));
}

// Does the line starting at `p` look like the start of a top-level declaration? Used to
// resynchronise after an error. `points` and `growth` also start statements, so they count only
// when followed by `{` or a display name.
bool looks_like_declaration(std::string_view text, std::size_t p) {
  while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
  std::size_t e = word_end(text, p);
  if (e == p) return false;
  std::string_view w = text.substr(p, e - p);
  const auto& kws = declaration_keywords();
  std::size_t n = e;
  while (n < text.size() && (text[n] == ' ' || text[n] == '\t')) ++n;
  if (n >= text.size()) return false;
  if (std::find(kws.begin(), kws.end(), w) == kws.end()) {
    // A misspelt keyword at the start of an unindented line (`ruel x on ...`) is a declaration
    // too, so that its own "did you mean" is reported. `level` lines belong to `levels`.
    bool unindented = p == 0 || text[p - 1] == '\n';
    return unindented && w != "level" && is_word_start(text[n]) && nearest(w, kws).has_value();
  }
  if (w == "points" || w == "growth" || w == "member") return text[n] == '{' || text[n] == '"';
  return is_word_start(text[n]);
}

// The start of the first line after the one containing `p` that looks like a declaration.
std::size_t next_declaration_line(std::string_view text, std::size_t p) {
  std::size_t nl = text.find('\n', p);
  while (nl != std::string_view::npos) {
    std::size_t line = nl + 1;
    if (looks_like_declaration(text, line)) return line;
    nl = text.find('\n', line);
  }
  return text.size();
}

std::size_t line_start(std::string_view text, std::size_t p) {
  std::size_t nl = text.rfind('\n', p == 0 ? 0 : p - 1);
  if (p == 0 || nl == std::string_view::npos) return 0;
  return nl + 1;
}

struct Violation {
  std::size_t offset;
  std::string message;
};

// One linear pass over the text (outside strings and comments) that finds where nesting exceeds
// the limits, before the recursive grammar ever sees it. Expression depth counts open parentheses
// plus runs of prefix `-` / `not`; block depth counts open braces plus `else if` chains (each is
// one more nested statement in the tree).
std::vector<Violation> prescan(std::string_view text) {
  std::vector<Violation> out;
  int parens = 0;
  int braces = 0;
  int prefix_run = 0;
  std::vector<int> else_ifs(1, 0);  // per brace depth: the current else-if chain length
  int else_if_total = 0;
  bool expr_over = false;
  bool block_over = false;
  bool after_else = false;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"' && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
      ++i;
      prefix_run = 0;
      after_else = false;
      continue;
    }
    std::size_t start = i;
    bool prefix = false;
    if (is_word_start(c)) {
      std::size_t e = word_end(text, i);
      std::string_view w = text.substr(i, e - i);
      i = e;
      if (w == "not") prefix = true;
      if (w == "if") {
        std::size_t d = static_cast<std::size_t>(braces);
        if (after_else) {
          ++else_ifs[d];
          ++else_if_total;
        } else {
          else_if_total -= else_ifs[d];
          else_ifs[d] = 0;
        }
      }
      after_else = w == "else";
    } else {
      after_else = false;
      ++i;
      if (c == '(') {
        ++parens;
        prefix = true;
      } else if (c == ')') {
        parens = std::max(0, parens - 1);
      } else if (c == '-') {
        prefix = i >= text.size() || text[i] != '=';
      } else if (c == '{') {
        ++braces;
        if (static_cast<std::size_t>(braces) >= else_ifs.size()) else_ifs.push_back(0);
        else_ifs[static_cast<std::size_t>(braces)] = 0;
      } else if (c == '}') {
        if (braces > 0) {
          else_if_total -= else_ifs[static_cast<std::size_t>(braces)];
          else_ifs[static_cast<std::size_t>(braces)] = 0;
          --braces;
        }
      }
    }
    prefix_run = prefix ? (c == '(' ? prefix_run : prefix_run + 1) : 0;
    int expr_depth = parens + prefix_run;
    if (expr_depth > kMaxExpressionDepth) {
      if (!expr_over) {
        out.push_back({start, fmt::format("expression is nested too deeply (more than {} levels)",
                                          kMaxExpressionDepth)});
      }
      expr_over = true;
    } else if (parens == 0) {
      expr_over = false;
    }
    int block_depth = braces + else_if_total;
    if (block_depth > kMaxBlockDepth) {
      if (!block_over) {
        out.push_back({start, fmt::format("blocks are nested too deeply (more than {} levels)",
                                          kMaxBlockDepth)});
      }
      block_over = true;
    } else if (braces == 0) {
      block_over = false;
    }
  }
  return out;
}

class Reporter {
 public:
  Reporter(const Source& source, std::vector<Diagnostic>& out) : source_(source), out_(out) {}

  void at(std::size_t offset, std::string message, std::optional<std::string> suggestion = {}) {
    if (suggestion && message.find("did you mean") == std::string::npos) {
      message += fmt::format("; did you mean `{}`?", *suggestion);
    }
    out_.push_back(Diagnostic{Severity::kError, source_.file(), source_.locate(offset),
                              std::move(message), std::move(suggestion), "syntax"});
  }

  // Turns a grammar failure into a diagnostic at the offending token; `fallback` when the grammar
  // did not commit to anything. Returns the offset it reported at.
  std::size_t failure(const grammar::Failure& f, const std::string& fallback) {
    std::string_view text = source_.text();
    std::size_t where = f.where ? static_cast<std::size_t>(f.where - text.data()) : 0;
    std::size_t p = skip_space(text, where);
    if (p >= text.size()) p = where;  // at the end: point just after the last token
    std::string message = f.message.empty() ? fallback : f.message;
    if (auto k = message.find("{prev}"); k != std::string::npos) {
      message.replace(k, 6, token_before(text, where));
    }
    at(p, std::move(message), suggest(f.message, text, p));
    return p;
  }

 private:
  // If the offending token is a word close to a keyword the message names (`expir` for
  // "expected `expire`, `cap` ..."), suggest that keyword.
  static std::optional<std::string> suggest(const std::string& message, std::string_view text,
                                            std::size_t p) {
    std::size_t e = word_end(text, p);
    if (e == p) return std::nullopt;
    std::string word(text.substr(p, e - p));
    std::vector<std::string> candidates;
    if (message.find("a statement") != std::string::npos) {
      candidates = {"points", "growth", "grant", "tag", "reverse", "if"};
    }
    for (std::size_t b = message.find('`'); b != std::string::npos;) {
      std::size_t c = message.find('`', b + 1);
      if (c == std::string::npos) break;
      std::string inside = message.substr(b + 1, c - b - 1);
      std::size_t first_space = inside.find(' ');
      std::string head = inside.substr(0, first_space);
      if (!head.empty() && std::all_of(head.begin(), head.end(), is_word_char) &&
          is_word_start(head[0]) &&
          std::find(candidates.begin(), candidates.end(), head) == candidates.end()) {
        candidates.push_back(head);
      }
      b = message.find('`', c + 1);
    }
    if (std::find(candidates.begin(), candidates.end(), word) != candidates.end())
      return std::nullopt;
    return nearest(word, candidates);
  }

  const Source& source_;
  std::vector<Diagnostic>& out_;
};

// Collects the own-line `#` comments between p and the next token; returns the token's offset.
// A comment that follows code on the same line is dropped (it belongs to no declaration).
std::size_t collect_comments(std::string_view text, std::size_t p, std::vector<std::string>& into) {
  while (p < text.size()) {
    if (is_space(text[p])) {
      ++p;
      continue;
    }
    if (text[p] != '#') break;
    std::size_t ls = line_start(text, p);
    bool own_line = std::all_of(text.begin() + static_cast<std::ptrdiff_t>(ls),
                                text.begin() + static_cast<std::ptrdiff_t>(p), is_space);
    std::size_t e = text.find('\n', p);
    if (e == std::string_view::npos) e = text.size();
    if (own_line) {
      std::string line(text.substr(p + 1, e - p - 1));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty() && line[0] == ' ') line.erase(0, 1);
      into.push_back(std::move(line));
    }
    p = e;
  }
  return p;
}

// Parses the whole of a fragment with one grammar entry point, then lowers it.
template <class Out, class SyntaxT, class LowerFn>
Out parse_fragment(const Source& source,
                   grammar::Parsed<SyntaxT> (*entry)(const char*, const char*), const char* what,
                   LowerFn lower) {
  Out out;
  Reporter report(source, out.diagnostics);
  std::string_view text = source.text();
  std::vector<Violation> violations = prescan(text);
  if (!violations.empty()) {
    report.at(violations.front().offset, violations.front().message);
    return out;
  }
  const char* first = text.data();
  const char* last = first + text.size();
  grammar::Parsed<SyntaxT> parsed = entry(first, last);
  if (!parsed.ok) {
    report.failure(parsed.failure, fmt::format("expected {}", what));
    return out;
  }
  std::size_t rest = skip_space(text, static_cast<std::size_t>(parsed.end - first));
  if (rest < text.size()) {
    report.at(rest, fmt::format("unexpected `{}` after {}", token_at(text, rest), what));
    return out;
  }
  grammar::Lowerer lowerer(source, out.diagnostics);
  auto value = lower(lowerer, parsed.value);
  if (out.diagnostics.empty()) out.value = std::move(value);
  return out;
}

}  // namespace

ParseOutput parse_program(const Source& source) {
  ParseOutput out;
  std::string_view text = source.text();
  Reporter report(source, out.diagnostics);
  grammar::Lowerer lowerer(source, out.diagnostics);
  ast::Program program;
  program.file = source.file();
  std::vector<Violation> violations = prescan(text);
  std::size_t next_violation = 0;
  std::size_t region_end = 0;  // the next declaration line after p (valid while > p)

  std::size_t p = 0;
  std::vector<std::string> comments;
  for (;;) {
    comments.clear();
    p = collect_comments(text, p, comments);
    if (p >= text.size()) {
      program.trailing_comments = std::move(comments);
      break;
    }
    std::size_t e = word_end(text, p);
    std::string word(text.substr(p, e - p));
    const auto& kws = declaration_keywords();
    if (std::find(kws.begin(), kws.end(), word) == kws.end()) {
      if (word.empty()) {
        report.at(p, fmt::format("expected a declaration such as `rule` or `event`, found `{}`",
                                 token_at(text, p)));
      } else {
        report.at(p, fmt::format("unknown declaration keyword `{}`", word), nearest(word, kws));
      }
      p = next_declaration_line(text, p);
      continue;
    }
    while (next_violation < violations.size() && violations[next_violation].offset < p)
      ++next_violation;
    if (next_violation < violations.size()) {
      // Cached while p stays inside the region: declarations sharing one long line must not
      // rescan it each time.
      if (region_end <= p) region_end = next_declaration_line(text, p);
      if (violations[next_violation].offset < region_end) {
        report.at(violations[next_violation].offset, violations[next_violation].message);
        p = region_end;
        continue;
      }
    }
    grammar::Parsed<syntax::Decl> parsed =
        grammar::parse_declaration(text.data() + p, text.data() + text.size());
    if (!parsed.ok) {
      std::size_t at =
          report.failure(parsed.failure, fmt::format("expected a `{}` declaration", word));
      // Resynchronise: at the line of the error if that line starts a declaration (a missing `}`
      // is found at the next declaration), else at the next declaration line after it.
      std::size_t error_line = line_start(text, at);
      if (error_line > p && looks_like_declaration(text, error_line)) {
        p = error_line;
      } else {
        p = next_declaration_line(text, std::max(p, at));
      }
      continue;
    }
    lowerer.add_declaration(parsed.value, comments, program);
    p = static_cast<std::size_t>(parsed.end - text.data());
  }
  if (program.program.loc.line == 0 && out.diagnostics.empty()) {
    report.at(
        0, "missing `program` declaration: a file starts with `program NAME { timezone \"UTC\" }`");
  }
  if (out.diagnostics.empty()) out.program = std::move(program);
  return out;
}

ParseOutput parse_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ParseOutput out;
    out.diagnostics.push_back(Diagnostic{
        Severity::kError, path, {1, 1}, fmt::format("cannot read file `{}`", path), {}, "io"});
    return out;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  Source source(path, ss.str());
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".yaml") || ends_with(".yml")) return load_yaml_program(source);
  return parse_program(source);
}

ExprOutput parse_expression(const Source& source) {
  return parse_fragment<ExprOutput>(source, &grammar::parse_expression, "an expression",
                                    [](grammar::Lowerer& l, const auto& e) { return l.expr(e); });
}

StmtOutput parse_statement(const Source& source) {
  return parse_fragment<StmtOutput>(source, &grammar::parse_statement,
                                    "a statement such as `points += 10`",
                                    [](grammar::Lowerer& l, const auto& s) { return l.stmt(s); });
}

ClauseOutput<ast::Expiry> parse_expiry_clause(const Source& source) {
  return parse_fragment<ClauseOutput<ast::Expiry>>(
      source, &grammar::parse_expiry,
      "`after N days`, `at end of month + K`, `at end of year + K` or `never`",
      [](grammar::Lowerer& l, const auto& e) { return l.expiry(e); });
}

ClauseOutput<ast::PerPeriod> parse_per_period_clause(const Source& source) {
  return parse_fragment<ClauseOutput<ast::PerPeriod>>(
      source, &grammar::parse_per_period, "an amount and a period such as `5000 per day`",
      [](grammar::Lowerer& l, const auto& p) { return l.per_period(p, true); });
}

ClauseOutput<ast::Duration> parse_duration_clause(const Source& source) {
  return parse_fragment<ClauseOutput<ast::Duration>>(
      source, &grammar::parse_duration, "a duration such as `7 days`",
      [](grammar::Lowerer& l, const auto& d) { return l.duration(d); });
}

ClauseOutput<ast::Goal> parse_goal_clause(const Source& source) {
  return parse_fragment<ClauseOutput<ast::Goal>>(
      source, &grammar::parse_goal,
      "a goal such as `count 3 within 30 days`, `sum event.amount reaches 1000` or `streak 7 days`",
      [](grammar::Lowerer& l, const auto& g) { return l.goal(g); });
}

ClauseOutput<ast::RepeatKind> parse_repeat_clause(const Source& source) {
  return parse_fragment<ClauseOutput<ast::RepeatKind>>(
      source, &grammar::parse_repeat, "`always`, `once`, `daily`, `weekly`, `monthly` or `yearly`",
      [](grammar::Lowerer& l, const auto& r) { return l.repeat(r); });
}

ClauseOutput<ast::Review> parse_review_clause(const Source& source) {
  return parse_fragment<ClauseOutput<ast::Review>>(
      source, &grammar::parse_review, "`yearly` or `every N months`",
      [](grammar::Lowerer& l, const auto& r) { return l.review(r); });
}

ClauseOutput<ast::DateRange> parse_date_range_clause(const Source& source) {
  return parse_fragment<ClauseOutput<ast::DateRange>>(
      source, &grammar::parse_date_range, "dates such as `2026-06-01 .. 2026-06-03`",
      [](grammar::Lowerer& l, const auto& d) { return l.date_range(d); });
}

ClauseOutput<ast::Duration> parse_available_clause(const Source& source) {
  return parse_fragment<ClauseOutput<ast::Duration>>(
      source, &grammar::parse_available,
      "a duration and `after join`, such as `30 days after join`",
      [](grammar::Lowerer& l, const auto& d) { return l.duration(d); });
}

ClauseOutput<Schedule> parse_schedule_clause(const Source& source) {
  return parse_fragment<ClauseOutput<Schedule>>(
      source, &grammar::parse_schedule,
      "a schedule such as `every month on day 18` or `during 2026-06-01 .. 2026-06-03`",
      [](grammar::Lowerer& l, const auto& s) {
        Schedule out;
        l.schedule(s.items, out.every, out.during);
        return out;
      });
}

}  // namespace merit::dsl
