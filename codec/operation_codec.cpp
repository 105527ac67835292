// Decoding operations with simdjson's on-demand API: one pass over the line, numbers read from
// their raw text into exact Decimals, names resolved against the Plan.
#include "codec/operation_codec.hpp"

#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

namespace merit::codec {

namespace od = simdjson::ondemand;
using engine::FieldType;
using engine::Operation;
using engine::OpKind;
using engine::Value;

struct OperationDecoder::Impl {
  const engine::Plan& plan;
  od::parser parser;
  std::unique_ptr<simdjson::dom::parser> validator;  // made on the first error only
  std::string buffer;                                // the line, padded for simdjson
  std::string data_buffer;                           // a `data` object met before `type`, padded
  std::unordered_map<std::string_view, int> events;  // declared event types by name
  std::unordered_map<std::string_view, int> rewards;
  std::unordered_map<std::string_view, int> privileges;

  explicit Impl(const engine::Plan& p) : plan(p) {
    for (int i = 0; i < p.declared_events; ++i)
      events.emplace(p.events[static_cast<std::size_t>(i)].name, i);
    for (std::size_t i = 0; i < p.rewards.size(); ++i)
      rewards.emplace(p.rewards[i].id, static_cast<int>(i));
    for (std::size_t i = 0; i < p.privileges.size(); ++i)
      privileges.emplace(p.privileges[i].id, static_cast<int>(i));
    // RELIABILITY.md: JSON nesting depth 32. On failure iterate() reports the error per line.
    if (parser.allocate(1 << 20, 32) != simdjson::SUCCESS) parser = od::parser{};
  }
};

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

const char* json_type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

// The operation's name in messages: its id when known.
std::string who(const Operation& op) {
  return op.id.empty() ? std::string("operation") : fmt::format("operation \"{}\"", op.id);
}

// What a value is, for messages: "operation "e1": field `amount` of `purchase`" or "... attribute
// `city`". Formatted only when a message needs it, not for every value decoded.
struct Subject {
  const Operation& op;
  std::string_view name;        // field or attribute
  std::string_view event_type;  // empty: an attribute
  std::string text() const {
    return event_type.empty() ? fmt::format("{}: attribute `{}`", who(op), name)
                              : fmt::format("{}: field `{}` of `{}`", who(op), name, event_type);
  }
};

Result<Value> decode_value(od::value v, FieldType type, const Subject& subject,
                           const engine::Plan& plan) {
  auto what = [&] { return subject.text(); };
  od::json_type jt;
  if (v.type().get(jt)) return Error::invalid_argument(what() + ": malformed JSON value");
  if (jt == od::json_type::null) return Value::none();
  auto mistyped = [&](const char* expected) {
    return Error::failed_precondition(
        fmt::format("{} is {}; got {}", what(), expected, json_type_name(jt)));
  };
  switch (type) {
    case FieldType::kInt:
    case FieldType::kDecimal:
    case FieldType::kMoney: {
      std::string_view text;
      if (jt == od::json_type::number) {
        text = trim(v.raw_json_token());
      } else if (jt == od::json_type::string) {
        // numbers sent as strings ("268.00") are read exactly too
        if (v.get_string().get(text)) return Error::invalid_argument(what() + ": malformed string");
      } else {
        return mistyped(type == FieldType::kInt ? "an int" : "a number");
      }
      auto d = Decimal::parse(text);
      if (!d) {
        return Error::failed_precondition(fmt::format(
            "{}: `{}` is not an exact number (at most 6 decimal places, no exponent, |x| < 9.2e12)",
            what(), text));
      }
      if (type == FieldType::kInt && !d->is_whole()) {
        return Error::failed_precondition(fmt::format("{} is an int; got {}", what(), text));
      }
      return Value::number(*d);
    }
    case FieldType::kBool: {
      bool b;
      if (jt != od::json_type::boolean || v.get_bool().get(b)) return mistyped("a boolean");
      return Value::boolean(b);
    }
    case FieldType::kString:
    case FieldType::kLevel: {
      std::string_view s;
      if (jt != od::json_type::string || v.get_string().get(s)) return mistyped("a string");
      if (s.size() > 1024) return Error::failed_precondition(what() + " is longer than 1 KiB");
      return Value::string(std::string(s));
    }
    case FieldType::kDate: {
      std::string_view s;
      if (jt != od::json_type::string || v.get_string().get(s))
        return mistyped("a date (\"2026-12-18\")");
      auto d = parse_date(s);
      if (!d)
        return Error::failed_precondition(
            fmt::format("{}: \"{}\" is not a date like 2026-12-18", what(), s));
      return Value::date(*d);
    }
    case FieldType::kTime: {
      std::string_view s;
      if (jt != od::json_type::string || v.get_string().get(s)) return mistyped("a time");
      auto t = parse_instant(s, plan.zone);
      if (!t) return Error::failed_precondition(what() + ": " + t.error().message());
      return Value::time(*t);
    }
    case FieldType::kDuration: {
      std::string_view text;
      if (jt != od::json_type::number) return mistyped("a number of seconds");
      text = v.raw_json_token();
      auto d = Decimal::parse(trim(text));
      if (!d) return Error::failed_precondition(what() + ": not an exact number of seconds");
      Value out;
      out.kind = Value::Kind::kDuration;
      out.i = d->units() / (Decimal::kScale / 1000);
      return out;
    }
    case FieldType::kStringSet: {
      od::array arr;
      if (jt != od::json_type::array || v.get_array().get(arr))
        return mistyped("an array of strings");
      Value out;
      out.kind = Value::Kind::kSet;
      for (auto item : arr) {
        std::string_view s;
        if (item.get_string().get(s))
          return Error::failed_precondition(what() + " holds only strings");
        out.set.emplace_back(s);
      }
      std::sort(out.set.begin(), out.set.end());
      out.set.erase(std::unique(out.set.begin(), out.set.end()), out.set.end());
      return out;
    }
  }
  return Value::none();
}

Result<void> decode_data(od::object obj, Operation& op, const engine::Plan& plan) {
  const auto& ev = plan.events[static_cast<std::size_t>(op.event_type)];
  op.fields.assign(ev.fields.size(), Value::none());
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key))
      return Error::invalid_argument(who(op) + ": malformed key in data");
    int slot = -1;
    for (std::size_t i = 0; i < ev.fields.size(); ++i) {
      if (ev.fields[i].name == key) {
        slot = static_cast<int>(i);
        break;
      }
    }
    if (slot < 0) {
      std::string names;
      for (const auto& f : ev.fields) names += (names.empty() ? "" : ", ") + f.name;
      return Error::failed_precondition(
          fmt::format("{}: event type `{}` has no field `{}` (fields: {})", who(op), ev.name, key,
                      names.empty() ? "none" : names));
    }
    const auto& f = ev.fields[static_cast<std::size_t>(slot)];
    auto v = decode_value(field.value(), f.type, Subject{op, f.name, ev.name}, plan);
    if (!v) return std::move(v).error();
    op.fields[static_cast<std::size_t>(slot)] = std::move(*v);
  }
  return ok();
}

Result<void> decode_attributes(od::object obj, Operation& op, const engine::Plan& plan) {
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key))
      return Error::invalid_argument(who(op) + ": malformed key in attributes");
    int slot = plan.attribute_index(key);
    if (slot < 0) {
      return Error::failed_precondition(
          fmt::format("{}: `{}` is not a declared member attribute", who(op), key));
    }
    const auto& f = plan.attributes[static_cast<std::size_t>(slot)];
    auto v = decode_value(field.value(), f.type, Subject{op, f.name, {}}, plan);
    if (!v) return std::move(v).error();
    op.attributes.push_back({slot, std::move(*v)});
  }
  return ok();
}

void pad_into(std::string& buffer, std::string_view json) {
  buffer.assign(json.data(), json.size());
  buffer.append(simdjson::SIMDJSON_PADDING, ' ');
}

}  // namespace

OperationDecoder::OperationDecoder(const engine::Plan& plan)
    : impl_(std::make_unique<Impl>(plan)) {}
OperationDecoder::~OperationDecoder() = default;

Result<void> OperationDecoder::decode(std::string_view json, Operation& op) {
  Result<void> r = decode_one(json, op);
  if (r) return r;
  // The on-demand parser reads lazily, so a truncated or unbalanced line can first show up as a
  // wrong type. On the (rare) error path, validate the whole line and say what is really wrong.
  Impl& im = *impl_;
  if (!im.validator) im.validator = std::make_unique<simdjson::dom::parser>();
  simdjson::dom::element root;
  auto err = im.validator->parse(json.data(), json.size()).get(root);
  if (err) {
    std::string why =
        err == simdjson::DEPTH_ERROR ? "nested too deeply" : simdjson::error_message(err);
    return Error::invalid_argument(op.id.empty()
                                       ? "malformed JSON: " + why
                                       : fmt::format("{}: malformed JSON: {}", who(op), why));
  }
  return r;
}

Result<void> OperationDecoder::decode_one(std::string_view json, Operation& op) {
  Impl& im = *impl_;
  op.kind = OpKind::kEvent;
  op.id.clear();
  op.member.clear();
  op.time = Instant{};
  op.event_type = -1;
  op.fields.clear();
  op.reward = -1;
  op.quantity = 1;
  op.privilege = -1;
  op.attributes.clear();

  pad_into(im.buffer, json);
  od::document doc;
  if (im.parser.iterate(im.buffer.data(), json.size(), im.buffer.size()).get(doc)) {
    return Error::invalid_argument("malformed JSON");
  }
  od::object obj;
  if (doc.get_object().get(obj))
    return Error::invalid_argument("malformed JSON: expected an object");
  std::string_view type_name, op_name = "event", time_text, reward_name, privilege_name;
  bool has_time = false, has_type = false, has_data = false, has_attrs = false, has_reward = false,
       has_privilege = false;
  bool deferred_data = false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return Error::invalid_argument("malformed JSON key");
    od::value v;
    if (field.value().get(v)) return Error::invalid_argument("malformed JSON value");
    auto str = [&](std::string_view& out, const char* name) -> Result<void> {
      if (v.get_string().get(out)) {
        return Error::invalid_argument(fmt::format("{}: `{}` must be a string", who(op), name));
      }
      return ok();
    };
    if (key == "id" || key == "request_id") {
      std::string_view s;
      MERIT_RETURN_IF_ERROR(str(s, "id"));
      op.id.assign(s);
    } else if (key == "member") {
      std::string_view s;
      MERIT_RETURN_IF_ERROR(str(s, "member"));
      op.member.assign(s);
    } else if (key == "op") {
      MERIT_RETURN_IF_ERROR(str(op_name, "op"));
    } else if (key == "type") {
      MERIT_RETURN_IF_ERROR(str(type_name, "type"));
      has_type = true;
      auto it = im.events.find(type_name);
      if (it == im.events.end()) {
        return Error::failed_precondition(
            fmt::format("{}: unknown event type `{}`", who(op), type_name));
      }
      op.event_type = it->second;
    } else if (key == "time") {
      MERIT_RETURN_IF_ERROR(str(time_text, "time"));
      auto t = parse_instant(time_text, im.plan.zone);
      if (!t) return Error::invalid_argument(fmt::format("{}: {}", who(op), t.error().message()));
      op.time = *t;
      has_time = true;
    } else if (key == "data") {
      od::object data;
      if (v.get_object().get(data)) {
        return Error::invalid_argument(fmt::format("{}: `data` must be an object", who(op)));
      }
      has_data = true;
      if (op.event_type < 0) {
        std::string_view raw;
        if (data.raw_json().get(raw)) return Error::invalid_argument("malformed JSON in data");
        pad_into(im.data_buffer, raw);
        deferred_data = true;
      } else {
        MERIT_RETURN_IF_ERROR(decode_data(data, op, im.plan));
      }
    } else if (key == "reward") {
      MERIT_RETURN_IF_ERROR(str(reward_name, "reward"));
      has_reward = true;
      auto it = im.rewards.find(reward_name);
      op.reward = it == im.rewards.end() ? -1 : it->second;
    } else if (key == "privilege") {
      MERIT_RETURN_IF_ERROR(str(privilege_name, "privilege"));
      has_privilege = true;
      auto it = im.privileges.find(privilege_name);
      op.privilege = it == im.privileges.end() ? -1 : it->second;
    } else if (key == "quantity") {
      std::int64_t q;
      if (v.get_int64().get(q)) {
        return Error::invalid_argument(
            fmt::format("{}: `quantity` must be a whole number", who(op)));
      }
      op.quantity = q;
    } else if (key == "attributes") {
      od::object attrs;
      if (v.get_object().get(attrs)) {
        return Error::invalid_argument(fmt::format("{}: `attributes` must be an object", who(op)));
      }
      has_attrs = true;
      MERIT_RETURN_IF_ERROR(decode_attributes(attrs, op, im.plan));
    } else {
      return Error::invalid_argument(fmt::format("{}: unknown key `{}`", who(op), key));
    }
  }
  if (op_name == "event")
    op.kind = OpKind::kEvent;
  else if (op_name == "redeem")
    op.kind = OpKind::kRedeem;
  else if (op_name == "use")
    op.kind = OpKind::kUse;
  else if (op_name == "set")
    op.kind = OpKind::kSet;
  else {
    return Error::invalid_argument(
        fmt::format("{}: unknown op `{}`; expected event, redeem, use or set", who(op), op_name));
  }
  if (op.id.empty())
    return Error::invalid_argument("operation without an `id` (the idempotency key)");
  if (op.id.size() > 128)
    return Error::invalid_argument(who(op).substr(0, 40) + "...: id longer than 128 bytes");
  if (op.member.empty()) return Error::invalid_argument(fmt::format("{}: no `member`", who(op)));
  if (op.member.size() > 128)
    return Error::invalid_argument(fmt::format("{}: member id longer than 128 bytes", who(op)));
  if (!has_time) return Error::invalid_argument(fmt::format("{}: no `time`", who(op)));
  switch (op.kind) {
    case OpKind::kEvent: {
      if (!has_type)
        return Error::invalid_argument(fmt::format("{}: an event needs a `type`", who(op)));
      if (deferred_data) {
        od::document ddoc;
        od::object data;
        if (im.parser
                .iterate(im.data_buffer.data(), im.data_buffer.size() - simdjson::SIMDJSON_PADDING,
                         im.data_buffer.size())
                .get(ddoc) ||
            ddoc.get_object().get(data)) {
          return Error::invalid_argument(fmt::format("{}: malformed `data`", who(op)));
        }
        MERIT_RETURN_IF_ERROR(decode_data(data, op, im.plan));
      } else if (!has_data) {
        op.fields.assign(im.plan.events[static_cast<std::size_t>(op.event_type)].fields.size(),
                         Value::none());
      }
      break;
    }
    case OpKind::kRedeem:
      if (!has_reward)
        return Error::invalid_argument(fmt::format("{}: a redemption names a `reward`", who(op)));
      break;
    case OpKind::kUse:
      if (!has_privilege)
        return Error::invalid_argument(fmt::format("{}: a use names a `privilege`", who(op)));
      break;
    case OpKind::kSet:
      if (!has_attrs)
        return Error::invalid_argument(fmt::format("{}: `set` needs `attributes`", who(op)));
      break;
  }
  return ok();
}

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  return out;
}

Result<void> OperationDecoder::decode_csv(const std::vector<std::string>& header,
                                          const std::vector<std::string>& row, Operation& op) {
  // A CSV row becomes the equivalent JSON object: known keys as strings, other columns as `data`
  // fields (numbers stay text, so money is exact).
  if (row.size() != header.size()) {
    return Error::invalid_argument(
        fmt::format("row has {} columns; the header has {}", row.size(), header.size()));
  }
  std::string json = "{";
  std::string data;
  auto quote = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\"";
  };
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    if (h == "id" || h == "type" || h == "member" || h == "time" || h == "op" || h == "reward" ||
        h == "privilege") {
      if (json.size() > 1) json += ',';
      json += quote(h) + ":" + quote(row[i]);
    } else if (h == "quantity") {
      if (json.size() > 1) json += ',';
      json += quote(h) + ":" + (row[i].empty() ? "1" : row[i]);
    } else if (!row[i].empty()) {
      if (!data.empty()) data += ',';
      bool numeric = Decimal::parse(row[i]).has_value();
      data += quote(h) + ":" + (numeric ? row[i] : quote(row[i]));
    }
  }
  json += ",\"data\":{" + data + "}}";
  return decode(json, op);
}

}  // namespace merit::codec
