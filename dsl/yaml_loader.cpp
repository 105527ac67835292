// The YAML twin's loader (LANGUAGE.md §6): `.merit.yaml` text -> the same ast::Program as the
// `.merit` parser gives. yaml-cpp reads the document; every clause string is read by the .merit
// fragment parsers (dsl/parse.hpp) with a Source based at the scalar, so diagnostics point into the
// YAML file. All yaml-cpp exceptions stop here.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "dsl/parse.hpp"
#include "dsl/suggest.hpp"

namespace merit::dsl {
namespace {

using namespace ast;

// RELIABILITY.md: block nesting limit; checked before yaml-cpp sees the text, because Debian's
// yaml-cpp 0.7 recurses without a bound.
constexpr int kMaxDepth = 32;

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// What a node is, in the words of a message: "a list", "a map", "a text value", "nothing".
const char* shape_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

class Loader {
 public:
  explicit Loader(const Source& source) : src_(source) {
    const std::string& t = src_.text();
    std::size_t start = 0;
    for (std::size_t i = 0; i <= t.size(); ++i) {
      if (i == t.size() || t[i] == '\n') {
        lines_.push_back(std::string_view(t).substr(start, i - start));
        start = i + 1;
      }
    }
  }

  ParseOutput run() {
    ParseOutput out;
    if (!pre_scan()) {
      out.diagnostics = std::move(diags_);
      return out;
    }
    YAML::Node root;
    try {
      root = YAML::Load(src_.text());
    } catch (const YAML::ParserException& e) {
      error(mark_loc(e.mark), "yaml-syntax", "YAML syntax error: " + e.msg);
      out.diagnostics = std::move(diags_);
      return out;
    } catch (const YAML::Exception& e) {
      error({1, 1}, "yaml-syntax", std::string("YAML error: ") + e.what());
      out.diagnostics = std::move(diags_);
      return out;
    }
    Program p;
    p.file = src_.file();
    try {
      program(root, p);
    } catch (const std::exception& e) {
      // yaml-cpp's accessors throw only on misuse; keep the promise never to throw regardless.
      error({1, 1}, "yaml-syntax", std::string("cannot read the YAML document: ") + e.what());
    }
    out.diagnostics = std::move(diags_);
    if (!has_errors(out.diagnostics)) out.program = std::move(p);
    return out;
  }

 private:
  // -------------------------------------------------------------------------------------------
  // Positions

  // A yaml-cpp mark (0-based line, 0-based byte column) as a 1-based line and code-point column.
  Loc mark_loc(const YAML::Mark& m) const {
    if (m.is_null() || m.line < 0) return {1, 1};
    auto line = static_cast<std::size_t>(m.line);
    std::uint32_t col = 1;
    if (line < lines_.size()) {
      std::string_view l = lines_[line];
      auto bytes = std::min<std::size_t>(static_cast<std::size_t>(std::max(m.column, 0)), l.size());
      for (std::size_t i = 0; i < bytes; ++i)
        if ((static_cast<unsigned char>(l[i]) & 0xC0) != 0x80) ++col;
    } else {
      col = static_cast<std::uint32_t>(m.column + 1);
    }
    return {static_cast<std::uint32_t>(line + 1), col};
  }

  Loc loc(const YAML::Node& n) const { return mark_loc(n.Mark()); }

  // Where the text of a scalar starts: one column further for a quoted scalar.
  Loc text_loc(const YAML::Node& n) const {
    Loc l = loc(n);
    if (n.Tag() == "!") ++l.col;
    return l;
  }

  void error(Loc at, std::string code, std::string message,
             std::optional<std::string> suggestion = std::nullopt) {
    Diagnostic d;
    d.severity = Severity::kError;
    d.file = src_.file();
    d.loc = at;
    d.code = std::move(code);
    d.message = std::move(message);
    d.suggestion = std::move(suggestion);
    diags_.push_back(std::move(d));
  }

  // -------------------------------------------------------------------------------------------
  // Nesting pre-scan: block indentation levels plus flow brackets, and no anchors or aliases
  // (an alias lets a short file expand into a huge tree).

  bool pre_scan() {
    std::vector<std::size_t> indents;              // the open block levels, by indentation
    int flow = 0;                                  // open [ and { in a flow collection
    char quote = 0;                                // inside a quoted scalar that spans lines
    std::size_t block_scalar = std::string::npos;  // inside `|` or `>` text more indented than this
    for (std::size_t ln = 0; ln < lines_.size(); ++ln) {
      std::string_view l = lines_[ln];
      std::size_t ind = 0;
      while (ind < l.size() && l[ind] == ' ') ++ind;
      std::string_view rest = trim(l.substr(ind));
      if (block_scalar != std::string::npos) {
        if (rest.empty() || ind > block_scalar) continue;
        block_scalar = std::string::npos;
      }
      std::size_t pos = ind;
      int block_depth = 0;
      if (flow == 0 && quote == 0) {
        if (rest.empty() || rest[0] == '#') continue;
        if (rest.substr(0, 3) == "---" || rest.substr(0, 3) == "...") continue;
        while (!indents.empty() && indents.back() >= ind) indents.pop_back();
        indents.push_back(ind);
        // `- - x`: every dash opens one more level (a bare `-` opens the level of the next line).
        while (pos < l.size() && l[pos] == '-' && (pos + 1 == l.size() || l[pos + 1] == ' ')) {
          pos += 1;
          while (pos < l.size() && l[pos] == ' ') ++pos;
          if (pos < l.size() && l[pos] != '#') indents.push_back(pos);
        }
        block_depth = static_cast<int>(indents.size());
        if (block_depth > kMaxDepth) return too_deep(ln, ind);
        // The value: after `key:` when there is one, else the item itself.
        std::size_t value = value_start(l, pos);
        if (value >= l.size()) continue;
        char c = l[value];
        if (c == '&' || c == '*') {
          error({static_cast<std::uint32_t>(ln + 1), col_of(ln, value)}, "yaml-anchor",
                "anchors and aliases (& and *) are not supported in a Merit YAML program");
          return false;
        }
        if (c == '|' || c == '>') {
          block_scalar = ind;
          continue;
        }
        if (c != '[' && c != '{') continue;
        pos = value;
      } else {
        block_depth = static_cast<int>(indents.size());
      }
      // Flow text (or a quoted scalar carried over from the line before).
      for (; pos < l.size(); ++pos) {
        char c = l[pos];
        if (quote) {
          if (quote == '"' && c == '\\') {
            ++pos;
          } else if (c == quote) {
            if (quote == '\'' && pos + 1 < l.size() && l[pos + 1] == '\'')
              ++pos;
            else
              quote = 0;
          }
          continue;
        }
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '#' && (pos == 0 || l[pos - 1] == ' ' || l[pos - 1] == '\t')) {
          break;
        } else if (c == '[' || c == '{') {
          ++flow;
          if (block_depth + flow > kMaxDepth) return too_deep(ln, pos);
        } else if (c == ']' || c == '}') {
          if (--flow <= 0) {
            flow = 0;
            break;  // what follows a closed flow collection is yaml-cpp's to judge
          }
        } else if ((c == '&' || c == '*') && flow > 0) {
          std::size_t b = pos;
          while (b > 0 && l[b - 1] == ' ') --b;
          if (b == 0 || l[b - 1] == '[' || l[b - 1] == '{' || l[b - 1] == ',' || l[b - 1] == ':') {
            error({static_cast<std::uint32_t>(ln + 1), col_of(ln, pos)}, "yaml-anchor",
                  "anchors and aliases (& and *) are not supported in a Merit YAML program");
            return false;
          }
        }
      }
    }
    return true;
  }

  bool too_deep(std::size_t ln, std::size_t pos) {
    error({static_cast<std::uint32_t>(ln + 1), col_of(ln, pos)}, "too-deep",
          "the YAML is nested more than " + std::to_string(kMaxDepth) + " levels deep");
    return false;
  }

  // 1-based code-point column of byte `pos` on 0-based line `ln`.
  std::uint32_t col_of(std::size_t ln, std::size_t pos) const {
    YAML::Mark m;
    m.line = static_cast<int>(ln);
    m.column = static_cast<int>(pos);
    return mark_loc(m).col;
  }

  // The byte where the value of a block line starts: after `key:` (plain or quoted key), or `pos`
  // itself when the line holds no key. l.size() when the value is empty.
  static std::size_t value_start(std::string_view l, std::size_t pos) {
    std::size_t i = pos;
    if (i < l.size() &&
        (l[i] == '[' || l[i] == '{' || l[i] == '&' || l[i] == '*' || l[i] == '|' || l[i] == '>'))
      return i;
    if (i < l.size() && (l[i] == '"' || l[i] == '\'')) {
      char q = l[i++];
      while (i < l.size() && l[i] != q) i += (q == '"' && l[i] == '\\') ? 2 : 1;
      ++i;
    }
    for (; i < l.size(); ++i) {
      if (l[i] == '#' && i > 0 && l[i - 1] == ' ') return l.size();
      if (l[i] == ':' && (i + 1 == l.size() || l[i + 1] == ' ')) {
        ++i;
        while (i < l.size() && l[i] == ' ') ++i;
        return i;
      }
    }
    return pos;  // a plain item: its text is a scalar, which the caller ignores
  }

  // -------------------------------------------------------------------------------------------
  // Comments: `#` lines directly above a line (no blank line between), in order.

  std::vector<std::string> comments_above(const YAML::Node& n) const {
    std::vector<std::string> out;
    if (n.Mark().is_null() || n.Mark().line <= 0) return out;
    auto ln = static_cast<std::size_t>(n.Mark().line);
    std::size_t first = ln;
    while (first > 0) {
      std::string_view t = trim(lines_[first - 1]);
      if (t.empty() || t[0] != '#') break;
      --first;
    }
    for (std::size_t i = first; i < ln; ++i) out.push_back(comment_text(lines_[i]));
    return out;
  }

  static std::string comment_text(std::string_view line) {
    std::string_view t = line;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
    t.remove_prefix(1);  // '#'
    if (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    return std::string(t);
  }

  // Comment lines after the last line with content.
  std::vector<std::string> trailing_comments() const {
    std::size_t end = lines_.size();
    while (end > 0 && trim(lines_[end - 1]).empty()) --end;
    std::size_t first = end;
    while (first > 0) {
      std::string_view t = trim(lines_[first - 1]);
      if (t.empty() || t[0] != '#') break;
      --first;
    }
    // A file of nothing but comments has no declaration to hang them on.
    if (first == 0) return {};
    std::vector<std::string> out;
    for (std::size_t i = first; i < end; ++i) out.push_back(comment_text(lines_[i]));
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Shapes and keys

  // The entries of map `n` (null counts as empty), in file order, checked against `allowed`;
  // `what` names the thing in messages ("a rule"). False when `n` is not a map.
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  bool entries(const YAML::Node& n, const std::string& what,
               const std::vector<std::string>& allowed, std::vector<Entry>& out) {
    out.clear();
    if (n.IsNull()) return true;
    if (!n.IsMap()) {
      error(loc(n), "wrong-shape",
            "expected a map (key: value lines) for " + what + ", found " + shape_name(n));
      return false;
    }
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      // Copies: the iterator hands out a proxy, and references into it would dangle.
      YAML::Node k = it->first;
      YAML::Node v = it->second;
      if (!k.IsScalar()) {
        error(loc(k), "wrong-shape", "a key in " + what + " must be a plain name");
        continue;
      }
      const std::string& key = k.Scalar();
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        auto near = nearest(key, allowed);
        error(loc(k), "unknown-key",
              "unknown key `" + key + "` in " + what +
                  (near ? "; did you mean `" + *near + "`?" : ""),
              near);
        continue;
      }
      if (!seen.insert(key).second) {
        error(loc(k), "duplicate-key", "`" + key + "` is given twice in " + what);
        continue;
      }
      out.push_back({key, k, v});
    }
    return true;
  }

  static const Entry* find(const std::vector<Entry>& es, std::string_view key) {
    for (const auto& e : es)
      if (e.key == key) return &e;
    return nullptr;
  }

  // The text of a scalar value; an error naming `key` when it is something else.
  std::optional<std::string> text(const Entry& e) {
    if (e.value.IsScalar()) return e.value.Scalar();
    error(e.value.IsNull() ? loc(e.key_node) : loc(e.value), "wrong-shape",
          "expected a value for `" + e.key + "`, found " + shape_name(e.value));
    return std::nullopt;
  }

  std::optional<Ident> ident(const Entry& e) {
    auto t = text(e);
    if (!t) return std::nullopt;
    if (!is_identifier(*t)) {
      error(text_loc(e.value), "bad-name",
            "`" + *t + "` is not a name (letters, digits and _, not starting with a digit)");
      return std::nullopt;
    }
    return Ident{*t, loc(e.value)};
  }

  // A whole number of points (`cost: 300`); `points_suffix` also accepts `250 points`.
  std::optional<std::int64_t> whole(const Entry& e, bool points_suffix = false) {
    auto t = text(e);
    if (!t) return std::nullopt;
    std::string_view s = trim(*t);
    if (points_suffix && s.size() > 7 && s.substr(s.size() - 7) == " points")
      s = trim(s.substr(0, s.size() - 7));
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty() || v < 0) {
      error(text_loc(e.value), "bad-value",
            "`" + e.key + "` must be a whole number" + (points_suffix ? " of points" : "") +
                ", found `" + *t + "`");
      return std::nullopt;
    }
    return v;
  }

  void missing(const YAML::Node& at, const std::string& what, const char* key) {
    error(loc(at), "missing-key", what + " has no `" + key + "`");
  }

  // Runs a fragment parser on a scalar's text, based at the scalar, and keeps its diagnostics.
  template <class Out, class Fn>
  auto fragment(const Entry& e, Fn&& parse) -> decltype(std::declval<Out>().value) {
    auto t = text(e);
    if (!t) return std::nullopt;
    Source frag(src_.file(), *t, text_loc(e.value));
    Out r = parse(frag);
    for (auto& d : r.diagnostics) diags_.push_back(std::move(d));
    return std::move(r.value);
  }

  std::optional<Expr> expr(const Entry& e) { return fragment<ExprOutput>(e, parse_expression); }
  template <class T, class Fn>
  std::optional<T> clause(const Entry& e, Fn&& parse) {
    return fragment<ClauseOutput<T>>(e, std::forward<Fn>(parse));
  }

  std::optional<std::string> display_name(const std::vector<Entry>& es) {
    const Entry* e = find(es, "name");
    return e ? text(*e) : std::nullopt;
  }

  // -------------------------------------------------------------------------------------------
  // The document

  void program(const YAML::Node& root, Program& p) {
    static const std::vector<std::string> kKeys = {
        "program",  "member", "events",    "points",     "growth",  "levels", "rules",
        "packages", "tasks",  "campaigns", "privileges", "rewards", "cards",  "segments"};
    if (root.IsNull()) {
      error({1, 1}, "missing-key", "the file is empty: a program starts with `program:`");
      return;
    }
    std::vector<Entry> top;
    if (!entries(root, "the program file", kKeys, top)) return;
    if (!find(top, "program")) missing(root, "the program file", "program");
    for (const auto& e : top) {
      const std::string& k = e.key;
      if (k == "program")
        program_decl(e, p.program);
      else if (k == "member")
        member_decl(e, p);
      else if (k == "events")
        events(e, p);
      else if (k == "points")
        points_decl(e, p);
      else if (k == "growth")
        growth_decl(e, p);
      else if (k == "levels")
        levels_decl(e, p);
      else if (k == "rules")
        list(e, "a rule", p.rules, [&](const YAML::Node& n, RuleDecl& d) { return rule(n, d); });
      else if (k == "packages")
        list(e, "a package", p.packages,
             [&](const YAML::Node& n, PackageDecl& d) { return package(n, d); });
      else if (k == "tasks")
        list(e, "a task", p.tasks, [&](const YAML::Node& n, TaskDecl& d) { return task(n, d); });
      else if (k == "campaigns")
        list(e, "a campaign", p.campaigns,
             [&](const YAML::Node& n, CampaignDecl& d) { return campaign(n, d); });
      else if (k == "privileges")
        list(e, "a privilege", p.privileges,
             [&](const YAML::Node& n, PrivilegeDecl& d) { return privilege(n, d); });
      else if (k == "rewards")
        list(e, "a reward", p.rewards,
             [&](const YAML::Node& n, RewardDecl& d) { return reward(n, d); });
      else if (k == "cards")
        list(e, "a card", p.cards, [&](const YAML::Node& n, CardDecl& d) { return card(n, d); });
      else if (k == "segments")
        list(e, "a segment", p.segments,
             [&](const YAML::Node& n, SegmentDecl& d) { return segment(n, d); });
    }
    p.trailing_comments = trailing_comments();
  }

  // `rules:` and friends: a list of maps, one declaration each, with the comments above the item.
  template <class Decl, class Fn>
  void list(const Entry& e, const std::string& what, std::vector<Decl>& out, Fn&& one) {
    if (e.value.IsNull()) return;
    if (!e.value.IsSequence()) {
      error(loc(e.value), "wrong-shape",
            "expected a list of " + e.key + " (`- id: ...` items), found " + shape_name(e.value));
      return;
    }
    for (const auto& item : e.value) {
      Decl d;
      d.loc = loc(item);
      if (!item.IsMap()) {
        error(loc(item), "wrong-shape",
              "expected " + what + " (a map with `id:`), found " + shape_name(item));
        continue;
      }
      d.comments = comments_above(item);
      if (one(item, d)) out.push_back(std::move(d));
    }
  }

  void program_decl(const Entry& e, ProgramDecl& d) {
    std::vector<Entry> es;
    d.loc = loc(e.key_node);
    d.comments = comments_above(e.key_node);
    if (!entries(e.value, "`program`", {"id", "name", "timezone", "currency"}, es)) return;
    if (const Entry* x = find(es, "id")) {
      if (auto id = ident(*x)) d.id = *id;
    } else {
      missing(e.key_node, "`program`", "id");
    }
    d.name = display_name(es);
    if (const Entry* x = find(es, "timezone")) d.timezone = text(*x);
    if (const Entry* x = find(es, "currency")) d.currency = text(*x);
  }

  std::vector<FieldDecl> fields(const Entry& e, const std::string& what) {
    static const std::vector<std::string> kTypes = {
        "int", "decimal", "money", "bool", "string", "date", "time", "duration", "set<string>"};
    std::vector<FieldDecl> out;
    std::vector<Entry> es;
    if (!entries(e.value, what, {}, es)) return out;
    for (const auto& f : es) {
      if (!is_identifier(f.key)) {
        error(loc(f.key_node), "bad-name",
              "`" + f.key +
                  "` is not a field name (letters, digits and _, not starting with a digit)");
        continue;
      }
      auto t = text(f);
      if (!t) continue;
      if (std::find(kTypes.begin(), kTypes.end(), *t) == kTypes.end()) {
        auto near = nearest(*t, kTypes);
        error(text_loc(f.value), "unknown-type",
              "unknown type `" + *t + "` for field `" + f.key + "`" +
                  (near ? "; did you mean `" + *near + "`?" : ""),
              near);
        continue;
      }
      out.push_back(FieldDecl{loc(f.key_node), Ident{f.key, loc(f.key_node)}, *t, loc(f.value)});
    }
    return out;
  }

  void member_decl(const Entry& e, Program& p) {
    MemberDecl d;
    d.loc = loc(e.key_node);
    d.comments = comments_above(e.key_node);
    d.fields = fields(e, "`member`");
    p.member = std::move(d);
  }

  void events(const Entry& e, Program& p) {
    std::vector<Entry> es;
    if (!entries(e.value, "`events`", {}, es)) return;
    for (const auto& ev : es) {
      EventDecl d;
      d.loc = loc(ev.key_node);
      d.comments = comments_above(ev.key_node);
      if (!is_identifier(ev.key)) {
        error(loc(ev.key_node), "bad-name",
              "`" + ev.key +
                  "` is not an event name (letters, digits and _, not starting with a digit)");
        continue;
      }
      d.id = Ident{ev.key, loc(ev.key_node)};
      d.fields = fields(ev, "event `" + ev.key + "`");
      p.events.push_back(std::move(d));
    }
  }

  void points_decl(const Entry& e, Program& p) {
    PointsDecl d;
    d.loc = loc(e.key_node);
    d.comments = comments_above(e.key_node);
    std::vector<Entry> es;
    if (!entries(e.value, "`points`", {"name", "expire", "cap", "pending", "allow"}, es)) return;
    d.name = display_name(es);
    if (const Entry* x = find(es, "expire")) d.expire = clause<Expiry>(*x, parse_expiry_clause);
    if (const Entry* x = find(es, "cap")) d.cap = clause<PerPeriod>(*x, parse_per_period_clause);
    if (const Entry* x = find(es, "pending"))
      d.pending = clause<Duration>(*x, parse_duration_clause);
    if (const Entry* x = find(es, "allow")) {
      auto t = text(*x);
      if (t && *t == "negative")
        d.allow_negative = true;
      else if (t)
        error(text_loc(x->value), "bad-value", "`allow` takes `negative`, found `" + *t + "`");
    }
    p.points = std::move(d);
  }

  void growth_decl(const Entry& e, Program& p) {
    GrowthDecl d;
    d.loc = loc(e.key_node);
    d.comments = comments_above(e.key_node);
    std::vector<Entry> es;
    if (!entries(e.value, "`growth`", {"name", "window"}, es)) return;
    d.name = display_name(es);
    if (const Entry* x = find(es, "window")) d.window = clause<Duration>(*x, parse_duration_clause);
    p.growth = std::move(d);
  }

  void levels_decl(const Entry& e, Program& p) {
    LevelsDecl d;
    d.loc = loc(e.key_node);
    d.comments = comments_above(e.key_node);
    std::vector<Entry> es;
    if (!entries(e.value, "`levels`", {"by", "review", "downgrade", "ladder"}, es)) return;
    if (const Entry* x = find(es, "by")) {
      auto t = text(*x);
      if (t && *t == "growth")
        d.by = *t;
      else if (t)
        error(text_loc(x->value), "bad-value", "levels are by `growth`, found `" + *t + "`");
    }
    if (const Entry* x = find(es, "review")) d.review = clause<Review>(*x, parse_review_clause);
    if (const Entry* x = find(es, "downgrade")) {
      auto t = text(*x);
      if (t && *t == "one")
        d.downgrade = Downgrade::kOne;
      else if (t && *t == "qualified")
        d.downgrade = Downgrade::kQualified;
      else if (t)
        error(text_loc(x->value), "bad-value",
              "`downgrade` is `one` or `qualified`, found `" + *t + "`");
    }
    const Entry* ladder = find(es, "ladder");
    if (!ladder) {
      missing(e.key_node, "`levels`", "ladder");
    } else if (!ladder->value.IsNull() && !ladder->value.IsSequence()) {
      error(loc(ladder->value), "wrong-shape",
            std::string("expected a list of levels (`- { id: ..., from: ... }`), found ") +
                shape_name(ladder->value));
    } else if (ladder->value.IsSequence()) {
      for (const auto& item : ladder->value) level(item, d.levels);
    }
    p.levels = std::move(d);
  }

  void level(const YAML::Node& n, std::vector<LevelDecl>& out) {
    LevelDecl d;
    d.loc = loc(n);
    std::vector<Entry> es;
    if (!n.IsMap()) {
      error(loc(n), "wrong-shape",
            std::string("expected a level (a map with `id:` and `from:`), found ") + shape_name(n));
      return;
    }
    if (!entries(n, "a level", {"id", "name", "from", "keep", "attributes"}, es)) return;
    bool ok = true;
    if (const Entry* x = find(es, "id")) {
      auto id = ident(*x);
      if (id) d.id = *id;
      ok = ok && id;
    } else {
      missing(n, "a level", "id");
      ok = false;
    }
    d.name = display_name(es);
    if (const Entry* x = find(es, "from")) {
      auto v = whole(*x);
      if (v) d.from = *v;
      d.from_loc = loc(x->value);
      ok = ok && v;
    } else {
      missing(n, "level `" + d.id.name + "`", "from");
      ok = false;
    }
    if (const Entry* x = find(es, "keep")) d.keep = whole(*x);
    if (const Entry* x = find(es, "attributes")) {
      std::vector<Entry> as;
      if (entries(x->value, "the attributes of level `" + d.id.name + "`", {}, as)) {
        for (const auto& a : as) {
          if (auto v = attribute(a))
            d.attributes.push_back(Attribute{loc(a.key_node), Ident{a.key, loc(a.key_node)}, *v});
        }
      }
    }
    if (ok) out.push_back(std::move(d));
  }

  // `points_rate: 1.2` is a number (`5%` too); a quoted value or other text is a string.
  std::optional<Expr> attribute(const Entry& a) {
    if (!is_identifier(a.key)) {
      error(loc(a.key_node), "bad-name", "`" + a.key + "` is not an attribute name");
      return std::nullopt;
    }
    auto t = text(a);
    if (!t) return std::nullopt;
    Expr v;
    v.loc = text_loc(a.value);
    v.text = *t;
    v.kind = ExprKind::kString;
    if (a.value.Tag() != "!" && is_number(*t)) {
      v.kind = ExprKind::kNumber;
      if (v.text.back() == '%') {
        v.percent = true;
        v.text.pop_back();
      }
    }
    return v;
  }

  // Digits, an optional fraction, an optional `%` (the .merit number literal).
  static bool is_number(std::string_view s) {
    if (!s.empty() && s.back() == '%') s.remove_suffix(1);
    std::size_t i = 0, digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (digits == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      std::size_t frac = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac;
      if (frac == 0) return false;
    }
    return i == s.size();
  }

  // id (required), name; true when the declaration is usable.
  template <class Decl>
  bool head(const YAML::Node& n, const std::vector<Entry>& es, const std::string& what, Decl& d) {
    d.name = display_name(es);
    const Entry* x = find(es, "id");
    if (!x) {
      missing(n, what, "id");
      return false;
    }
    auto id = ident(*x);
    if (!id) return false;
    d.id = *id;
    return true;
  }

  // A required `on: EVENT`.
  bool on(const YAML::Node& n, const std::vector<Entry>& es, const std::string& what, Ident& out) {
    const Entry* x = find(es, "on");
    if (!x) {
      missing(n, what, "on");
      return false;
    }
    auto id = ident(*x);
    if (id) out = *id;
    return id.has_value();
  }

  std::optional<Expr> opt_expr(const std::vector<Entry>& es, std::string_view key) {
    const Entry* x = find(es, key);
    return x ? expr(*x) : std::nullopt;
  }

  bool rule(const YAML::Node& n, RuleDecl& d) {
    std::vector<Entry> es;
    entries(n, "a rule", {"id", "name", "on", "when", "do"}, es);
    bool ok = head(n, es, "a rule", d);
    ok = on(n, es, ok ? "rule `" + d.id.name + "`" : "a rule", d.on) && ok;
    d.when = opt_expr(es, "when");
    if (const Entry* x = find(es, "do")) d.body = statements(x->value, "do");
    return ok;
  }

  bool package(const YAML::Node& n, PackageDecl& d) {
    std::vector<Entry> es;
    entries(n, "a package", {"id", "name", "for", "available", "during"}, es);
    bool ok = head(n, es, "a package", d);
    d.for_ = opt_expr(es, "for");
    if (const Entry* x = find(es, "available"))
      d.available_after_join = clause<Duration>(*x, parse_available_clause);
    if (const Entry* x = find(es, "during"))
      d.during = clause<DateRange>(*x, parse_date_range_clause);
    return ok;
  }

  bool task(const YAML::Node& n, TaskDecl& d) {
    std::vector<Entry> es;
    entries(n, "a task", {"id", "name", "in", "on", "when", "goal", "repeat", "do"}, es);
    bool ok = head(n, es, "a task", d);
    ok = on(n, es, ok ? "task `" + d.id.name + "`" : "a task", d.on) && ok;
    if (const Entry* x = find(es, "in")) d.in = ident(*x);
    d.when = opt_expr(es, "when");
    if (const Entry* x = find(es, "goal")) {
      if (auto g = clause<Goal>(*x, parse_goal_clause)) d.goal = *g;
    }
    if (const Entry* x = find(es, "repeat")) {
      d.repeat = clause<RepeatKind>(*x, parse_repeat_clause);
      d.repeat_loc = loc(x->value);
    }
    if (const Entry* x = find(es, "do")) d.body = statements(x->value, "do");
    return ok;
  }

  bool campaign(const YAML::Node& n, CampaignDecl& d) {
    std::vector<Entry> es;
    entries(n, "a campaign", {"id", "name", "on", "schedule", "during", "for", "budget", "do"}, es);
    bool ok = head(n, es, "a campaign", d);
    if (const Entry* x = find(es, "on")) d.on = ident(*x);
    const Entry* sched = find(es, "schedule");
    const Entry* during = find(es, "during");
    if (sched) {
      if (auto s = clause<Schedule>(*sched, parse_schedule_clause)) {
        d.every = s->every;
        d.during = s->during;
      }
    }
    if (during) {
      if (d.during) {
        error(loc(during->key_node), "duplicate-key",
              "`during` is given twice: in `schedule` and as its own key");
      } else {
        d.during = clause<DateRange>(*during, parse_date_range_clause);
      }
    }
    if (!sched && !during) {
      error(loc(n), "missing-key",
            (ok ? "campaign `" + d.id.name + "`" : std::string("a campaign")) +
                " has no `schedule` (every ...) or `during`");
    }
    d.for_ = opt_expr(es, "for");
    if (const Entry* x = find(es, "budget")) {
      d.budget = whole(*x, true);
      d.budget_loc = loc(x->value);
    }
    if (const Entry* x = find(es, "do")) d.body = statements(x->value, "do");
    return ok;
  }

  bool privilege(const YAML::Node& n, PrivilegeDecl& d) {
    std::vector<Entry> es;
    entries(n, "a privilege", {"id", "name", "for", "quota"}, es);
    bool ok = head(n, es, "a privilege", d);
    d.for_ = opt_expr(es, "for");
    if (const Entry* x = find(es, "quota"))
      d.quota = clause<PerPeriod>(*x, parse_per_period_clause);
    return ok;
  }

  bool reward(const YAML::Node& n, RewardDecl& d) {
    std::vector<Entry> es;
    entries(n, "a reward", {"id", "name", "cost", "stock", "limit", "for", "do"}, es);
    bool ok = head(n, es, "a reward", d);
    if (const Entry* x = find(es, "cost")) {
      if (auto v = whole(*x, true)) d.cost = *v;
      d.cost_loc = loc(x->value);
    } else {
      missing(n, ok ? "reward `" + d.id.name + "`" : "a reward", "cost");
      ok = false;
    }
    if (const Entry* x = find(es, "stock")) d.stock = whole(*x);
    if (const Entry* x = find(es, "limit"))
      d.limit = clause<PerPeriod>(*x, parse_per_period_clause);
    d.for_ = opt_expr(es, "for");
    if (const Entry* x = find(es, "do")) d.body = statements(x->value, "do");
    return ok;
  }

  bool card(const YAML::Node& n, CardDecl& d) {
    std::vector<Entry> es;
    entries(n, "a card", {"id", "name", "lasts", "do"}, es);
    bool ok = head(n, es, "a card", d);
    if (const Entry* x = find(es, "lasts")) {
      if (auto v = clause<Duration>(*x, parse_duration_clause)) d.lasts = *v;
    } else {
      missing(n, ok ? "card `" + d.id.name + "`" : "a card", "lasts");
      ok = false;
    }
    if (const Entry* x = find(es, "do")) d.body = statements(x->value, "do");
    return ok;
  }

  bool segment(const YAML::Node& n, SegmentDecl& d) {
    std::vector<Entry> es;
    entries(n, "a segment", {"id", "name", "when"}, es);
    bool ok = head(n, es, "a segment", d);
    if (const Entry* x = find(es, "when")) {
      if (auto v = expr(*x)) d.when = *v;
    } else {
      missing(n, ok ? "segment `" + d.id.name + "`" : "a segment", "when");
      ok = false;
    }
    return ok;
  }

  // `do:` (or `then:`/`else:`): a list whose items are statement strings, or `{ if, then, else }`
  // maps for conditionals.
  std::vector<Stmt> statements(const YAML::Node& n, const std::string& key) {
    std::vector<Stmt> out;
    if (n.IsNull()) return out;
    if (!n.IsSequence()) {
      error(loc(n), "wrong-shape",
            "expected a list of statements under `" + key + "` (`- points += 10`), found " +
                shape_name(n));
      return out;
    }
    for (const auto& item : n) {
      if (item.IsScalar()) {
        Source frag(src_.file(), item.Scalar(), text_loc(item));
        StmtOutput r = parse_statement(frag);
        for (auto& d : r.diagnostics) diags_.push_back(std::move(d));
        if (r.value) out.push_back(std::move(*r.value));
      } else if (item.IsMap()) {
        std::vector<Entry> es;
        entries(item, "an `if` statement", {"if", "then", "else"}, es);
        const Entry* cond = find(es, "if");
        if (!cond) {
          missing(item, "a statement map", "if");
          continue;
        }
        Stmt s;
        s.kind = StmtKind::kIf;
        s.loc = loc(cond->key_node);
        if (auto v = expr(*cond)) s.value = *v;
        if (const Entry* t = find(es, "then")) s.then_body = statements(t->value, "then");
        if (const Entry* el = find(es, "else")) {
          s.has_else = true;
          s.else_body = statements(el->value, "else");
        }
        out.push_back(std::move(s));
      } else {
        error(loc(item), "wrong-shape",
              "expected a statement (text such as `points += 10`), found " +
                  std::string(shape_name(item)));
      }
    }
    return out;
  }

  const Source& src_;
  std::vector<std::string_view> lines_;  // the text's lines, without their newlines
  std::vector<Diagnostic> diags_;
};

}  // namespace

ParseOutput load_yaml_program(const Source& source) {
  try {
    return Loader(source).run();
  } catch (const std::exception& e) {
    // Only allocation failure can get here; report it rather than throw (parse.hpp's promise).
    ParseOutput out;
    Diagnostic d;
    d.file = source.file();
    d.loc = {1, 1};
    d.code = "internal";
    d.message = std::string("cannot load the YAML program: ") + e.what();
    out.diagnostics.push_back(std::move(d));
    return out;
  }
}

}  // namespace merit::dsl
