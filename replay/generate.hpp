// Synthetic member histories (`merit gen`, benchmarks, demos): realistic operation streams in the
// exact wire form of INTERFACES.md §1 (JSON Lines, in time order) for any program, from its
// declared events, fields, rewards, privileges and member attributes.
//
// The model, all of it seeded and reproducible (same plan and options, same bytes: the generator
// draws from its own xoshiro256**, never from std::*_distribution, and calls no libm function, so
// the bytes do not depend on the standard library):
//   - member activity is heavy-tailed (weight ~ 1/u, capped: the top 1% of members make ~30% of the
//     events, the top 10% ~60%); members appear as their first operation comes up;
//   - a weekly rhythm (more on Saturday and Sunday, busiest evenings, quiet nights), day-to-day
//   noise,
//     and busier campaign days (`every month on day N`);
//   - sign-in habits: when the program has a sign-in-like event, about 8% of members sign in nearly
//     every day (streaks, with the odd missed day); the rest sign in now and then;
//   - money fields are log-normal-ish (median about 80, two decimals, many whole or .90 prices);
//     strings are plausible categories, channels, merchants, stores; int fields are small;
//   - the event types that some `reverse` targets (purchases) get fresh order-like ids in the field
//     it matches by; the event types holding that `reverse` (refunds) are a few percent of
//     purchases and name an earlier, not yet refunded purchase of the same member; other events
//     with a field of the same name (reviews) name an earlier purchase of the same member;
//   - events with no fields or named like one-off actions (register, profile_complete,
//     card_activated...) happen at most once per member; a `register`-like event is a member's
//     first;
//   - when a member first appears, a `set` op gives most of them their declared attributes
//     (birthday-like dates are birthdays; other strings plausible values);
//   - about 1% of lines are exact repeats of the line before (a client retrying: same id, same
//   bytes);
//   - occasional `redeem` ops for declared rewards and `use` ops for declared privileges, by
//   members
//     already seen (a refusal such as insufficient points is part of a realistic history).
// Memory grows with the number of members and days, never with the number of events.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "common/result.hpp"
#include "common/time.hpp"
#include "engine/plan/plan.hpp"

namespace merit::replay {

struct GenOptions {
  std::int64_t members = 1000;  // member ids m-000001 .. (at least 1)
  std::int64_t events = 10000;  // lines written, every kind of operation and the repeats included
  std::uint64_t seed = 1;
  std::int64_t days = 30;  // the span, starting at local midnight of `start` (at least 1)
  LocalDate start = from_civil(2026, 1, 1);  // the first day, in the program's zone
};

// Checks options: members >= 1 (and at most 100 million), events >= 0, days 1..36600.
// kInvalidArgument naming the option otherwise.
Result<void> validate(const GenOptions& options);

// Produces the lines one at a time. Not thread-safe; the plan must outlive the generator.
class Generator {
 public:
  // REQUIRES: validate(options) succeeded.
  Generator(const engine::Plan& plan, const GenOptions& options);
  ~Generator();
  Generator(Generator&&) noexcept;
  Generator& operator=(Generator&&) noexcept;

  // Appends the next line (one JSON object, no newline) to `out` and returns true; false (and
  // `out` unchanged) once options.events lines were produced. Lines come in time order (times
  // never decrease), formatted as UTC instants with seconds ("2026-01-10T07:15:03Z").
  bool next(std::string& out);

  std::int64_t produced() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes every line of a Generator to `out`, each followed by '\n'. kInvalidArgument for bad
// options; kUnavailable when the stream fails (a closed pipe, a full disk).
Result<void> generate(const engine::Plan& plan, const GenOptions& options, std::ostream& out);

// The built-in program `merit gen` uses without --program: the example of LANGUAGE.md §4
// (purchase, refund, signin, share, review; rewards, privileges, a birthday attribute).
const std::string& default_program_text();
// Its plan (parsed, checked and planned once; shared).
Result<std::shared_ptr<const engine::Plan>> default_program_plan();

}  // namespace merit::replay
