// Operations from the wire (INTERFACES.md §1): one JSON object per line, or a CSV row, decoded
// against a Plan so names become indices and values are typed. Money is read from the number's
// text, never through a double.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "engine/model/operation.hpp"
#include "engine/plan/plan.hpp"

namespace merit::codec {

// Decodes operations for one plan. Reuses its buffers: not thread-safe; one per thread.
class OperationDecoder {
 public:
  explicit OperationDecoder(const engine::Plan& plan);
  ~OperationDecoder();
  OperationDecoder(const OperationDecoder&) = delete;
  OperationDecoder& operator=(const OperationDecoder&) = delete;

  // Decodes one JSON object into `op` (overwritten). Errors are kInvalidArgument for malformed
  // JSON, a missing or mistyped key, or a bad time; kFailedPrecondition for valid JSON that the
  // program refuses (an unknown event type, an undeclared field or attribute, a wrong field type).
  // The message names the operation's id when it has one, and the key.
  // An unknown reward or privilege is not an error here: op.reward / op.privilege is -1 and the
  // evaluator refuses it in the order of LANGUAGE.md §8.
  Result<void> decode(std::string_view json, engine::Operation& op);

  // CSV: `header` names the columns (id, type, member, time, op?, then event fields by name).
  Result<void> decode_csv(const std::vector<std::string>& header,
                          const std::vector<std::string>& row, engine::Operation& op);

 private:
  Result<void> decode_one(std::string_view json, engine::Operation& op);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits one CSV line into fields (RFC 4180 quotes; no embedded newlines).
std::vector<std::string> split_csv_line(std::string_view line);

}  // namespace merit::codec
