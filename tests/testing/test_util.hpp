// Helpers shared by the test suites: file reading, the source and shared/ directories.
#pragma once

#include <string>

namespace merit::testing {

// The repository root and the shared/ folder beside it (set by CMake).
std::string source_dir();
std::string shared_dir();

// The whole content of a file; fails the current test (and returns "") when unreadable.
std::string read_file(const std::string& path);

}  // namespace merit::testing
