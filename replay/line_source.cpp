// Lines of a mapped file or of a stream.
#include "replay/line_source.hpp"

#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace merit::replay {

std::unique_ptr<LineSource> LineSource::map_file(const std::string& path,
                                                 std::size_t release_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  std::unique_ptr<LineSource> out;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    out.reset(new LineSource());
    out->release_bytes_ = release_bytes;
    out->size_ = static_cast<std::size_t>(st.st_size);
    if (out->size_ > 0) {
      void* p = ::mmap(nullptr, out->size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        out.reset();
      } else {
        // Read once, front to back: the kernel may read ahead far and drop pages behind.
        ::madvise(p, out->size_, MADV_SEQUENTIAL);
        out->map_ = static_cast<const char*>(p);
      }
    }
  }
  ::close(fd);  // the mapping stays valid without the descriptor
  return out;
}

LineSource::~LineSource() {
  if (map_ != nullptr) ::munmap(const_cast<char*>(map_), size_);
}

bool LineSource::next(std::string& storage, std::string_view& line) {
  if (in_ != nullptr) {
    if (!std::getline(*in_, storage)) return false;
    line = storage;
    return true;
  }
  if (pos_ >= size_) return false;
  const char* begin = map_ + pos_;
  const void* nl = std::memchr(begin, '\n', size_ - pos_);
  std::size_t length =
      nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - begin) : size_ - pos_;
  line = std::string_view(begin, length);
  pos_ += length + 1;  // past the '\n' (or past the end, for a last line without one)
  if (pos_ - released_ >= 2 * release_bytes_) {
    // Gives back what was read more than release_bytes_ ago. The lines the caller still holds
    // are far nearer than that (were they not, reading them would map them again).
    std::size_t upto = pos_ - release_bytes_;
    upto -= upto % release_bytes_;
    ::madvise(const_cast<char*>(map_) + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
  }
  return true;
}

}  // namespace merit::replay
