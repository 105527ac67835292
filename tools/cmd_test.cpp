// merit test (placeholder until its issue lands).
#include <cstdio>

#include "tools/commands.hpp"

namespace merit::tools {

int cmd_test(int, char**) {
  std::fputs("merit test: not built yet\n", stderr);
  return 2;
}

}  // namespace merit::tools
