// merit gen (placeholder until its issue lands).
#include <cstdio>

#include "tools/commands.hpp"

namespace merit::tools {

int cmd_gen(int, char**) {
  std::fputs("merit gen: not built yet\n", stderr);
  return 2;
}

}  // namespace merit::tools
