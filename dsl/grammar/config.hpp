// X3 configuration of the Merit grammar: the iterator type, the skipper (whitespace and `#`
// comments) and the parse context. Included only by grammar_def.hpp / grammar.cpp.
#pragma once

#include <boost/spirit/home/x3.hpp>

namespace merit::dsl::grammar {

namespace x3 = boost::spirit::x3;

using iterator_type = const char*;

// Skips one run of whitespace and `#`-to-end-of-line comments. Fails when nothing was skipped,
// as X3 skippers must (it is applied repeatedly until it fails).
struct Skipper : x3::parser<Skipper> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;

  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, It const& last, Ctx const&, RCtx&, Attr&) const {
    It p = first;
    while (p != last) {
      char c = *p;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++p;
      } else if (c == '#') {
        while (p != last && *p != '\n') ++p;
      } else {
        break;
      }
    }
    if (p == first) return false;
    first = p;
    return true;
  }
};

inline const Skipper skipper{};

using context_type = x3::phrase_parse_context<Skipper>::type;

}  // namespace merit::dsl::grammar
