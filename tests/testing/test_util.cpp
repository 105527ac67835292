// Helpers shared by the test suites.
#include "tests/testing/test_util.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace merit::testing {

std::string source_dir() { return MERIT_SOURCE_DIR; }
std::string shared_dir() { return MERIT_SHARED_DIR; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace merit::testing
