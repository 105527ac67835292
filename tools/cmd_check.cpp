// merit check (placeholder until its issue lands).
#include <cstdio>

#include "tools/commands.hpp"

namespace merit::tools {

int cmd_check(int, char**) {
  std::fputs("merit check: not built yet\n", stderr);
  return 2;
}

}  // namespace merit::tools
