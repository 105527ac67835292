// The canonical printers: ast::Program -> `.merit` text and -> its YAML twin (LANGUAGE.md §6).
// Both are deterministic (same tree, same bytes) and lossless for everything ast::Program compares
// equal on; docs/language.md "Canonical layout" describes the output.
#include "dsl/printer.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace merit::dsl {
namespace {

using namespace ast;

// ---------------------------------------------------------------------------------------------
// Words

const char* unit_word(Unit u, bool plural) {
  switch (u) {
    case Unit::kHour:
      return plural ? "hours" : "hour";
    case Unit::kDay:
      return plural ? "days" : "day";
    case Unit::kWeek:
      return plural ? "weeks" : "week";
    case Unit::kMonth:
      return plural ? "months" : "month";
    case Unit::kYear:
      return plural ? "years" : "year";
  }
  return "days";
}

const char* period_word(Period p) {
  switch (p) {
    case Period::kDay:
      return "day";
    case Period::kWeek:
      return "week";
    case Period::kMonth:
      return "month";
    case Period::kYear:
      return "year";
    case Period::kMember:
      return "member";
  }
  return "day";
}

const char* weekday_word(Weekday w) {
  switch (w) {
    case Weekday::kMonday:
      return "monday";
    case Weekday::kTuesday:
      return "tuesday";
    case Weekday::kWednesday:
      return "wednesday";
    case Weekday::kThursday:
      return "thursday";
    case Weekday::kFriday:
      return "friday";
    case Weekday::kSaturday:
      return "saturday";
    case Weekday::kSunday:
      return "sunday";
  }
  return "monday";
}

// The word after `repeat` in .merit and the value of `repeat:` in YAML ("once" is .merit's `once`).
const char* repeat_word(RepeatKind r) {
  switch (r) {
    case RepeatKind::kOnce:
      return "once";
    case RepeatKind::kAlways:
      return "always";
    case RepeatKind::kDaily:
      return "daily";
    case RepeatKind::kWeekly:
      return "weekly";
    case RepeatKind::kMonthly:
      return "monthly";
    case RepeatKind::kYearly:
      return "yearly";
  }
  return "once";
}

// A .merit string literal: `"` and `\` escaped (LANGUAGE.md §2 has no other escapes).
std::string quote_dsl(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

// ---------------------------------------------------------------------------------------------
// Expressions. Binding strength, loosest first (LANGUAGE.md §4.11).
enum Prec : int {
  kPrecOr = 1,
  kPrecAnd = 2,
  kPrecNot = 3,
  kPrecCompare = 4,  // == != < <= > >= in
  kPrecAdd = 5,      // + -
  kPrecMul = 6,      // * /
  kPrecNeg = 7,      // unary minus
  kPrecAtom = 8,
};

int binary_prec(std::string_view op) {
  if (op == "or") return kPrecOr;
  if (op == "and") return kPrecAnd;
  if (op == "+" || op == "-") return kPrecAdd;
  if (op == "*" || op == "/") return kPrecMul;
  return kPrecCompare;
}

int expr_prec(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kBinary:
      return binary_prec(e.text);
    case ExprKind::kUnary:
      return e.text == "not" ? kPrecNot : kPrecNeg;
    case ExprKind::kNumber:
      return (!e.text.empty() && e.text[0] == '-') ? kPrecNeg : kPrecAtom;
    default:
      return kPrecAtom;
  }
}

void print_expr(const Expr& e, std::string& out);

// Prints `e` in a place that binds at `min_prec`: parentheses only when `e` binds more loosely.
void print_operand(const Expr& e, int min_prec, std::string& out) {
  if (expr_prec(e) < min_prec) {
    out += '(';
    print_expr(e, out);
    out += ')';
  } else {
    print_expr(e, out);
  }
}

void print_path(const std::vector<std::string>& path, std::string& out) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (i) out += '.';
    out += path[i];
  }
}

void print_expr(const Expr& e, std::string& out) {
  switch (e.kind) {
    case ExprKind::kNumber:
      out += e.text;
      if (e.percent) out += '%';
      return;
    case ExprKind::kString:
      out += quote_dsl(e.text);
      return;
    case ExprKind::kBool:
    case ExprKind::kDate:
    case ExprKind::kDateTime:
    case ExprKind::kTimeOfDay:
      out += e.text;
      return;
    case ExprKind::kNone:
      out += "none";
      return;
    case ExprKind::kDuration:
      out += print_duration(e.duration);
      return;
    case ExprKind::kPath:
      print_path(e.path, out);
      return;
    case ExprKind::kCall:
      out += e.text;
      out += '(';
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ", ";
        print_expr(e.args[i], out);
      }
      out += ')';
      return;
    case ExprKind::kAggregate:
      // count(EVENT [where EXPR] [within D]) | sum(EVENT.FIELD [within D]) | last(EVENT) |
      // first(EVENT)
      out += e.text;
      out += '(';
      print_path(e.path, out);
      if (!e.args.empty()) {
        out += " where ";
        print_expr(e.args[0], out);
      }
      if (e.within) {
        out += " within ";
        out += print_duration(*e.within);
      }
      out += ')';
      return;
    case ExprKind::kUnary:
      if (e.args.empty()) return;
      if (e.text == "not") {
        out += "not ";
        print_operand(e.args[0], kPrecNot, out);
      } else {
        out += '-';
        // `-(-x)` rather than `--x`, and `-(-5)` rather than `--5`.
        print_operand(e.args[0], kPrecAtom, out);
      }
      return;
    case ExprKind::kBinary: {
      if (e.args.size() != 2) return;
      int p = binary_prec(e.text);
      // Left-associative; comparisons do not chain, so a comparison operand of a comparison is
      // parenthesised on either side. Parentheses never reach the tree, so extra ones are harmless.
      print_operand(e.args[0], p == kPrecCompare ? p + 1 : p, out);
      out += ' ';
      out += e.text;
      out += ' ';
      print_operand(e.args[1], p + 1, out);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Clauses shared by both printers: the text after the DSL keyword.

std::string per_period_text(const PerPeriod& p) {
  return std::to_string(p.amount) + " per " + period_word(p.period);
}

std::string expiry_text(const Expiry& x) {
  switch (x.kind) {
    case ExpiryKind::kNever:
      return "never";
    case ExpiryKind::kAfter:
      return "after " + print_duration(x.after);
    case ExpiryKind::kEndOfMonth:
      return "at end of month" + (x.plus ? " + " + std::to_string(x.plus) : std::string());
    case ExpiryKind::kEndOfYear:
      return "at end of year" + (x.plus ? " + " + std::to_string(x.plus) : std::string());
  }
  return "never";
}

std::string review_text(const Review& r) {
  return r.kind == ReviewKind::kYearly ? "yearly" : "every " + print_duration(r.every);
}

std::string date_range_text(const DateRange& r) { return r.from + " .. " + r.to; }

std::string recurrence_text(const Recurrence& r) {
  switch (r.kind) {
    case RecurKind::kMonthDay:
      return "every month on day " + std::to_string(r.day);
    case RecurKind::kWeekday:
      return std::string("every ") + weekday_word(r.weekday);
    case RecurKind::kDailyHours:
      return "every day from " + r.from + " to " + r.to;
  }
  return "";
}

std::string goal_text(const Goal& g) {
  std::string out;
  switch (g.kind) {
    case GoalKind::kNone:
      return "";
    case GoalKind::kCount:
      out = "count " + std::to_string(g.count);
      break;
    case GoalKind::kSum:
      out = "sum " + print_expression(g.sum) + " reaches " + print_expression(g.reaches);
      break;
    case GoalKind::kStreak:
      return "streak " + print_duration(Duration{g.count, Unit::kDay, {}});
  }
  if (g.within) out += " within " + print_duration(*g.within);
  return out;
}

// A statement on one line. `if` is printed by the block printers, which know the indentation.
std::string simple_stmt_text(const Stmt& s) {
  std::string out;
  auto assign = [&](const char* lhs) {
    out = lhs;
    out += print_expression(s.value);
  };
  switch (s.kind) {
    case StmtKind::kPointsAdd:
      assign("points += ");
      if (s.expire) out += " expire " + expiry_text(*s.expire);
      if (s.pending) out += " pending " + print_duration(*s.pending);
      break;
    case StmtKind::kPointsSub:
      assign("points -= ");
      break;
    case StmtKind::kPointsMul:
      assign("points *= ");
      break;
    case StmtKind::kGrowthAdd:
      assign("growth += ");
      break;
    case StmtKind::kGrowthSub:
      assign("growth -= ");
      break;
    case StmtKind::kGrowthMul:
      assign("growth *= ");
      break;
    case StmtKind::kTagAdd:
      assign("tag += ");
      break;
    case StmtKind::kTagSub:
      assign("tag -= ");
      break;
    case StmtKind::kGrant:
      out = "grant " + s.target.name;
      if (s.count) out += " " + std::to_string(*s.count);
      if (s.valid) out += " valid " + print_duration(*s.valid);
      break;
    case StmtKind::kReverse:
      out = "reverse " + s.target.name + " where " + s.field.name +
            " == " + print_expression(s.value);
      break;
    case StmtKind::kIf:
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// .merit

class DslPrinter {
 public:
  std::string run(const Program& p) {
    decl(p.program.comments);
    out_ += "program " + p.program.id.name + name(p.program.name);
    std::vector<std::string> lines;
    if (p.program.timezone) lines.push_back("timezone " + quote_dsl(*p.program.timezone));
    if (p.program.currency) lines.push_back("currency " + quote_dsl(*p.program.currency));
    braces(lines);

    if (p.member) {
      decl(p.member->comments);
      out_ += "member";
      braces(fields(p.member->fields));
    }
    for (const auto& e : p.events) {
      decl(e.comments);
      out_ += "event " + e.id.name;
      braces(fields(e.fields));
    }
    if (p.points) {
      const auto& d = *p.points;
      decl(d.comments);
      out_ += "points" + name(d.name);
      lines.clear();
      if (d.expire) lines.push_back("expire " + expiry_text(*d.expire));
      if (d.cap) lines.push_back("cap " + per_period_text(*d.cap));
      if (d.pending) lines.push_back("pending " + print_duration(*d.pending));
      if (d.allow_negative) lines.push_back("allow negative");
      braces(lines);
    }
    if (p.growth) {
      const auto& d = *p.growth;
      decl(d.comments);
      out_ += "growth" + name(d.name);
      lines.clear();
      if (d.window) lines.push_back("window " + print_duration(*d.window));
      braces(lines);
    }
    if (p.levels) {
      const auto& d = *p.levels;
      decl(d.comments);
      out_ += "levels by " + d.by;
      if (d.review) out_ += " review " + review_text(*d.review);
      if (d.downgrade)
        out_ += d.downgrade == Downgrade::kOne ? " downgrade one" : " downgrade qualified";
      lines.clear();
      for (const auto& l : d.levels) lines.push_back(level_line(l));
      braces(lines);
    }
    for (const auto& r : p.rules) {
      decl(r.comments);
      out_ += "rule " + r.id.name + name(r.name) + " on " + r.on.name;
      if (r.when) out_ += " when " + print_expression(*r.when);
      body(r.body, 0);
      out_ += '\n';
    }
    for (const auto& k : p.packages) {
      decl(k.comments);
      out_ += "package " + k.id.name + name(k.name);
      if (k.for_) out_ += " for " + print_expression(*k.for_);
      if (k.available_after_join)
        out_ += " available " + print_duration(*k.available_after_join) + " after join";
      if (k.during) out_ += " during " + date_range_text(*k.during);
      out_ += '\n';
    }
    for (const auto& t : p.tasks) {
      decl(t.comments);
      out_ += "task " + t.id.name + name(t.name);
      if (t.in) out_ += " in " + t.in->name;
      out_ += " on " + t.on.name;
      if (t.when) out_ += " when " + print_expression(*t.when);
      if (t.goal.kind != GoalKind::kNone) out_ += " " + goal_text(t.goal);
      if (t.repeat) {
        if (*t.repeat == RepeatKind::kOnce)
          out_ += " once";
        else if (*t.repeat == RepeatKind::kAlways)
          out_ += " repeat";
        else
          out_ += std::string(" repeat ") + repeat_word(*t.repeat);
      }
      body(t.body, 0);
      out_ += '\n';
    }
    for (const auto& c : p.campaigns) {
      decl(c.comments);
      out_ += "campaign " + c.id.name + name(c.name);
      if (c.on) out_ += " on " + c.on->name;
      if (c.every) out_ += " " + recurrence_text(*c.every);
      if (c.during) out_ += " during " + date_range_text(*c.during);
      if (c.for_) out_ += " for " + print_expression(*c.for_);
      if (c.budget) out_ += " budget " + std::to_string(*c.budget) + " points";
      body(c.body, 0);
      out_ += '\n';
    }
    for (const auto& v : p.privileges) {
      decl(v.comments);
      out_ += "privilege " + v.id.name + name(v.name);
      if (v.for_) out_ += " for " + print_expression(*v.for_);
      if (v.quota) out_ += " quota " + per_period_text(*v.quota);
      out_ += '\n';
    }
    for (const auto& r : p.rewards) {
      decl(r.comments);
      out_ += "reward " + r.id.name + name(r.name) + " cost " + std::to_string(r.cost) + " points";
      if (r.stock) out_ += " stock " + std::to_string(*r.stock);
      if (r.limit) out_ += " limit " + per_period_text(*r.limit);
      if (r.for_) out_ += " for " + print_expression(*r.for_);
      // A reward without statements is one line, as in LANGUAGE.md §4.
      if (!r.body.empty()) body(r.body, 0);
      out_ += '\n';
    }
    for (const auto& c : p.cards) {
      decl(c.comments);
      out_ += "card " + c.id.name + name(c.name) + " lasts " + print_duration(c.lasts);
      body(c.body, 0);
      out_ += '\n';
    }
    for (const auto& s : p.segments) {
      decl(s.comments);
      out_ += "segment " + s.id.name + name(s.name) + " when " + print_expression(s.when) + "\n";
    }
    if (!p.trailing_comments.empty()) {
      if (!out_.empty()) out_ += '\n';
      comment_lines(p.trailing_comments, 0);
    }
    return std::move(out_);
  }

  // Appends ` {}` or ` {` + each statement on its own line at depth+1 + `}`; no final newline.
  void body(const std::vector<Stmt>& stmts, int depth) {
    if (stmts.empty()) {
      out_ += " {}";
      return;
    }
    out_ += " {\n";
    for (const auto& s : stmts) stmt(s, depth + 1);
    indent(depth);
    out_ += '}';
  }

  // One statement at `depth`, ending with a newline.
  void stmt(const Stmt& s, int depth) {
    indent(depth);
    if (s.kind == StmtKind::kIf) {
      if_chain(s, depth);
    } else {
      out_ += simple_stmt_text(s);
    }
    out_ += '\n';
  }

  // `if C {...} else if D {...} else {...}`: an else holding exactly one `if` prints as `else if`.
  void if_chain(const Stmt& s, int depth) {
    out_ += "if " + print_expression(s.value);
    body(s.then_body, depth);
    if (!s.has_else) return;
    out_ += " else";
    if (s.else_body.size() == 1 && s.else_body[0].kind == StmtKind::kIf) {
      out_ += ' ';
      if_chain(s.else_body[0], depth);
    } else {
      body(s.else_body, depth);
    }
  }

 private:
  static std::string name(const std::optional<std::string>& n) {
    return n ? " " + quote_dsl(*n) : std::string();
  }

  static std::vector<std::string> fields(const std::vector<FieldDecl>& fs) {
    std::vector<std::string> lines;
    for (const auto& f : fs) lines.push_back(f.name.name + ": " + f.type);
    return lines;
  }

  static std::string level_line(const LevelDecl& l) {
    std::string s = "level " + l.id.name + name(l.name) + " from " + std::to_string(l.from);
    if (l.keep) s += " keep " + std::to_string(*l.keep);
    if (!l.attributes.empty()) {
      s += " {";
      for (const auto& a : l.attributes) s += " " + a.name.name + " " + print_expression(a.value);
      s += " }";
    }
    return s;
  }

  // Starts a declaration: a blank line after the previous one, then its comments.
  void decl(const std::vector<std::string>& comments) {
    if (!out_.empty()) out_ += '\n';
    comment_lines(comments, 0);
  }

  void comment_lines(const std::vector<std::string>& comments, int depth) {
    for (const auto& c : comments) {
      indent(depth);
      out_ += c.empty() ? "#" : "# " + c;
      out_ += '\n';
    }
  }

  // ` {}` for no lines, else ` {` + two-space-indented lines + `}`; then a newline.
  void braces(const std::vector<std::string>& lines) {
    if (lines.empty()) {
      out_ += " {}\n";
      return;
    }
    out_ += " {\n";
    for (const auto& l : lines) out_ += "  " + l + "\n";
    out_ += "}\n";
  }

  void indent(int depth) { out_.append(static_cast<std::size_t>(depth) * 2, ' '); }

  std::string out_;
};

// ---------------------------------------------------------------------------------------------
// YAML

bool is_plain_safe_first(char c) {
  switch (c) {
    case '-':
    case '?':
    case ':':
    case ',':
    case '[':
    case ']':
    case '{':
    case '}':
    case '#':
    case '&':
    case '*':
    case '!':
    case '|':
    case '>':
    case '\'':
    case '"':
    case '%':
    case '@':
    case '`':
    case ' ':
    case '\t':
      return false;
    default:
      return true;
  }
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// True when a YAML 1.1 or 1.2 reader could take the plain scalar `s` for something other than a
// string: null, a boolean (yes/no/on/off too), a number, a date, a merge key.
bool looks_like_non_string(std::string_view s) {
  std::string l = lower_ascii(s);
  static const char* const kWords[] = {"~", "null", "true", "false", "yes",   "no",   "on", "off",
                                       "y", "n",    ".inf", "-.inf", "+.inf", ".nan", "<<"};
  for (const char* w : kWords)
    if (l == w) return true;
  // Anything that starts like a number (digits, sign, dot) and holds only number-ish characters:
  // 12, -3.5, 1_000, 0x1F, 1e5, 2026-01-01, 12:30:00 (sexagesimal in YAML 1.1).
  std::size_t i = 0;
  if (i < l.size() && (l[i] == '+' || l[i] == '-')) ++i;
  if (i < l.size() && l[i] == '.') ++i;
  if (i >= l.size() || l[i] < '0' || l[i] > '9') return false;
  for (char c : l) {
    bool ok = (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' || c == '-' || c == ':' ||
              c == 'e' || c == 'x' || c == 'o' || (c >= 'a' && c <= 'f') || c == 't' || c == 'z' ||
              c == ' ';
    if (!ok) return false;
  }
  // `30 days` or `2026-06-01 .. 2026-06-03` contain letters or `..` and are not numbers; only quote
  // when there is no space (a YAML timestamp's space form is too rare to matter here).
  return l.find(' ') == std::string::npos;
}

// The byte length of a character at s[i] that a YAML reader takes for a line break or a byte order
// mark (NEL U+0085, LS U+2028, PS U+2029, BOM U+FEFF); 0 for anything else.
std::size_t yaml_break_length(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  if (at(0) == 0xC2 && at(1) == 0x85) return 2;
  if (at(0) == 0xE2 && at(1) == 0x80 && (at(2) == 0xA8 || at(2) == 0xA9)) return 3;
  if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;
  return 0;
}

// A scalar as YAML text: plain when a reader gets back exactly `s` as a string, else single-quoted,
// or double-quoted when it holds control characters. `flow`: it sits inside `{ }` or `[ ]`.
std::string yaml_scalar(std::string_view s, bool flow = false, bool force_quotes = false) {
  bool plain = !force_quotes && !s.empty() && is_plain_safe_first(s[0]) && s.back() != ' ' &&
               s.back() != ':' && !looks_like_non_string(s);
  bool control = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || yaml_break_length(s, i)) control = true;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ' || (flow && s[i + 1] == ',')))
      plain = false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') plain = false;
    if (flow && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}')) plain = false;
  }
  if (control) {
    std::string out = "\"";
    static const char kHex[] = "0123456789ABCDEF";
    for (std::size_t i = 0; i < s.size(); ++i) {
      char ch = s[i];
      unsigned char c = static_cast<unsigned char>(ch);
      if (std::size_t n = yaml_break_length(s, i)) {
        std::string_view bytes = s.substr(i, n);
        out += bytes == "\xC2\x85"       ? "\\u0085"
               : bytes == "\xE2\x80\xA8" ? "\\u2028"
               : bytes == "\xE2\x80\xA9" ? "\\u2029"
                                         : "\\uFEFF";
        i += n - 1;
      } else if (ch == '"' || ch == '\\') {
        out += '\\';
        out += ch;
      } else if (ch == '\n') {
        out += "\\n";
      } else if (ch == '\t') {
        out += "\\t";
      } else if (c < 0x20 || c == 0x7f) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += ch;
      }
    }
    out += '"';
    return out;
  }
  if (plain) return std::string(s);
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

class YamlPrinter {
 public:
  std::string run(const Program& p) {
    comments(p.program.comments, 0);
    out_ += "program:\n";
    kv(1, "id", p.program.id.name);
    if (p.program.name) kv(1, "name", *p.program.name);
    if (p.program.timezone) kv(1, "timezone", *p.program.timezone);
    if (p.program.currency) kv(1, "currency", *p.program.currency);

    if (p.member) {
      comments(p.member->comments, 0);
      out_ += "member: " + field_map(p.member->fields) + "\n";
    }
    if (!p.events.empty()) {
      out_ += "events:\n";
      for (const auto& e : p.events) {
        comments(e.comments, 1);
        out_ += "  " + e.id.name + ": " + field_map(e.fields) + "\n";
      }
    }
    if (p.points) {
      const auto& d = *p.points;
      comments(d.comments, 0);
      if (!d.name && !d.expire && !d.cap && !d.pending && !d.allow_negative) {
        out_ += "points: {}\n";
      } else {
        out_ += "points:\n";
        if (d.name) kv(1, "name", *d.name);
        if (d.expire) kv(1, "expire", expiry_text(*d.expire));
        if (d.cap) kv(1, "cap", per_period_text(*d.cap));
        if (d.pending) kv(1, "pending", print_duration(*d.pending));
        if (d.allow_negative) kv(1, "allow", "negative");
      }
    }
    if (p.growth) {
      const auto& d = *p.growth;
      comments(d.comments, 0);
      if (!d.name && !d.window) {
        out_ += "growth: {}\n";
      } else {
        out_ += "growth:\n";
        if (d.name) kv(1, "name", *d.name);
        if (d.window) kv(1, "window", print_duration(*d.window));
      }
    }
    if (p.levels) {
      const auto& d = *p.levels;
      comments(d.comments, 0);
      out_ += "levels:\n";
      kv(1, "by", d.by);
      if (d.review) kv(1, "review", review_text(*d.review));
      if (d.downgrade) kv(1, "downgrade", d.downgrade == Downgrade::kOne ? "one" : "qualified");
      if (d.levels.empty()) {
        out_ += "  ladder: []\n";
      } else {
        out_ += "  ladder:\n";
        for (const auto& l : d.levels) {
          item(2);
          kv(3, "id", l.id.name);
          if (l.name) kv(3, "name", *l.name);
          raw(3, "from", std::to_string(l.from));
          if (l.keep) raw(3, "keep", std::to_string(*l.keep));
          if (!l.attributes.empty()) {
            std::string a = "{ ";
            for (std::size_t i = 0; i < l.attributes.size(); ++i) {
              if (i) a += ", ";
              a += l.attributes[i].name.name + ": " + attribute_value(l.attributes[i].value);
            }
            raw(3, "attributes", a + " }");
          }
        }
      }
    }
    list("rules", p.rules, [&](const RuleDecl& r) {
      kv(2, "id", r.id.name);
      if (r.name) kv(2, "name", *r.name);
      kv(2, "on", r.on.name);
      if (r.when) kv(2, "when", print_expression(*r.when));
      stmts(2, r.body);
    });
    list("packages", p.packages, [&](const PackageDecl& k) {
      kv(2, "id", k.id.name);
      if (k.name) kv(2, "name", *k.name);
      if (k.for_) kv(2, "for", print_expression(*k.for_));
      if (k.available_after_join)
        kv(2, "available", print_duration(*k.available_after_join) + " after join");
      if (k.during) kv(2, "during", date_range_text(*k.during));
    });
    list("tasks", p.tasks, [&](const TaskDecl& t) {
      kv(2, "id", t.id.name);
      if (t.name) kv(2, "name", *t.name);
      if (t.in) kv(2, "in", t.in->name);
      kv(2, "on", t.on.name);
      if (t.when) kv(2, "when", print_expression(*t.when));
      if (t.goal.kind != GoalKind::kNone) kv(2, "goal", goal_text(t.goal));
      if (t.repeat) kv(2, "repeat", repeat_word(*t.repeat));
      stmts(2, t.body);
    });
    list("campaigns", p.campaigns, [&](const CampaignDecl& c) {
      kv(2, "id", c.id.name);
      if (c.name) kv(2, "name", *c.name);
      if (c.on) kv(2, "on", c.on->name);
      if (c.every) kv(2, "schedule", recurrence_text(*c.every));
      if (c.during) kv(2, "during", date_range_text(*c.during));
      if (c.for_) kv(2, "for", print_expression(*c.for_));
      if (c.budget) raw(2, "budget", std::to_string(*c.budget));
      stmts(2, c.body);
    });
    list("privileges", p.privileges, [&](const PrivilegeDecl& v) {
      kv(2, "id", v.id.name);
      if (v.name) kv(2, "name", *v.name);
      if (v.for_) kv(2, "for", print_expression(*v.for_));
      if (v.quota) kv(2, "quota", per_period_text(*v.quota));
    });
    list("rewards", p.rewards, [&](const RewardDecl& r) {
      kv(2, "id", r.id.name);
      if (r.name) kv(2, "name", *r.name);
      raw(2, "cost", std::to_string(r.cost));
      if (r.stock) raw(2, "stock", std::to_string(*r.stock));
      if (r.limit) kv(2, "limit", per_period_text(*r.limit));
      if (r.for_) kv(2, "for", print_expression(*r.for_));
      if (!r.body.empty()) stmts(2, r.body);
    });
    list("cards", p.cards, [&](const CardDecl& c) {
      kv(2, "id", c.id.name);
      if (c.name) kv(2, "name", *c.name);
      kv(2, "lasts", print_duration(c.lasts));
      stmts(2, c.body);
    });
    list("segments", p.segments, [&](const SegmentDecl& s) {
      kv(2, "id", s.id.name);
      if (s.name) kv(2, "name", *s.name);
      kv(2, "when", print_expression(s.when));
    });
    comments(p.trailing_comments, 0);
    return std::move(out_);
  }

 private:
  // `key:` then one `- ` item per declaration, each preceded by its comments.
  template <class Decl, class Fn>
  void list(const char* key, const std::vector<Decl>& decls, Fn&& fill) {
    if (decls.empty()) return;
    out_ += key;
    out_ += ":\n";
    for (const auto& d : decls) {
      comments(d.comments, 1);
      item(1);
      fill(d);
    }
  }

  // `do:` with one string per statement; an `if` becomes a map {if, then, else}.
  void stmts(int depth, const std::vector<Stmt>& body) {
    if (body.empty()) {
      raw(depth, "do", "[]");
      return;
    }
    indent(depth);
    out_ += "do:\n";
    stmt_items(depth + 1, body);
  }

  void stmt_items(int depth, const std::vector<Stmt>& body) {
    for (const auto& s : body) {
      if (s.kind != StmtKind::kIf) {
        indent(depth);
        out_ += "- " + yaml_scalar(simple_stmt_text(s)) + "\n";
        continue;
      }
      item(depth);
      kv(depth + 1, "if", print_expression(s.value));
      branch(depth + 1, "then", s.then_body);
      if (s.has_else) branch(depth + 1, "else", s.else_body);
    }
  }

  void branch(int depth, const char* key, const std::vector<Stmt>& body) {
    if (body.empty()) {
      raw(depth, key, "[]");
      return;
    }
    indent(depth);
    out_ += key;
    out_ += ":\n";
    stmt_items(depth + 1, body);
  }

  static std::string field_map(const std::vector<FieldDecl>& fs) {
    if (fs.empty()) return "{}";
    std::string s = "{ ";
    for (std::size_t i = 0; i < fs.size(); ++i) {
      if (i) s += ", ";
      s += fs[i].name.name + ": " + yaml_scalar(fs[i].type, true);
    }
    return s + " }";
  }

  // A level attribute: a number bare (`1.2`, `5%`), a string always quoted, so that a loader can
  // tell `label: "1"` (a string) from `rate: 1` (a number).
  static std::string attribute_value(const Expr& v) {
    if (v.kind == ExprKind::kNumber) return v.text + (v.percent ? "%" : "");
    return yaml_scalar(v.text, true, true);
  }

  // `- ` at `depth`; the item's first key follows on the same line (kv at depth+1 skips its indent
  // once).
  void item(int depth) {
    indent(depth);
    out_ += "- ";
    pending_item_ = true;
  }

  void kv(int depth, std::string_view key, std::string_view value) {
    raw(depth, key, yaml_scalar(value));
  }

  void raw(int depth, std::string_view key, std::string_view text) {
    if (pending_item_) {
      pending_item_ = false;
    } else {
      indent(depth);
    }
    out_ += key;
    out_ += ": ";
    out_ += text;
    out_ += '\n';
  }

  void comments(const std::vector<std::string>& cs, int depth) {
    for (const auto& c : cs) {
      indent(depth);
      out_ += c.empty() ? "#" : "# " + c;
      out_ += '\n';
    }
  }

  void indent(int depth) { out_.append(static_cast<std::size_t>(depth) * 2, ' '); }

  std::string out_;
  bool pending_item_ = false;
};

}  // namespace

std::string print_duration(const ast::Duration& d) {
  return std::to_string(d.count) + " " + unit_word(d.unit, d.count != 1);
}

std::string print_expression(const ast::Expr& e) {
  std::string out;
  print_expr(e, out);
  return out;
}

std::string print_dsl(const ast::Program& program) { return DslPrinter{}.run(program); }

std::string print_yaml(const ast::Program& program) { return YamlPrinter{}.run(program); }

}  // namespace merit::dsl
