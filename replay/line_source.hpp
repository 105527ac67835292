// LineSource: the lines of an operations file, for Replayer::run. A regular file is mapped into
// memory and its lines are read where they lie; any other input (stdin, a pipe, a test's string
// stream) is read line by line through its stream. Both give the same lines.
#pragma once

#include <algorithm>
#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

namespace merit::replay {

class LineSource {
 public:
  // Lines read from `in` (which must outlive the source).
  explicit LineSource(std::istream& in) : in_(&in) {}
  // How far behind the line being read the mapping is given back (MADV_DONTNEED: the pages stay
  // in the page cache), so that the process does not keep the whole file resident.
  static constexpr std::size_t kDefaultReleaseBytes = std::size_t{16} << 20;
  // The lines of the regular file at `path`, mapped; null if it is not a regular file or cannot
  // be opened or mapped (the caller then reads it as a stream, and reports what fails there).
  // `release_bytes` (a multiple of the page size) is for tests.
  static std::unique_ptr<LineSource> map_file(const std::string& path,
                                              std::size_t release_bytes = kDefaultReleaseBytes);
  // Bytes of the mapped file (0 for a stream): for sizing tables ahead.
  std::size_t mapped_size() const { return size_; }
  // Bytes of the mapped file read so far (0 for a stream).
  std::size_t consumed() const { return std::min(pos_, size_); }
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // The next line, without its '\n', in `line`; false at the end of the input. A mapped line is a
  // view into the mapping (valid while the source lives); a stream's line is kept in `storage`
  // (valid until `storage` is reused).
  bool next(std::string& storage, std::string_view& line);

 private:
  LineSource() = default;
  std::istream* in_ = nullptr;
  const char* map_ = nullptr;  // the mapping, when mapped
  std::size_t size_ = 0;       // its length
  std::size_t pos_ = 0;        // where the next line starts
  std::size_t released_ = 0;   // the mapping before this is given back (page-aligned)
  std::size_t release_bytes_ = kDefaultReleaseBytes;
};

}  // namespace merit::replay
