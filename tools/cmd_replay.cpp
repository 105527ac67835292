// merit replay (placeholder until its issue lands).
#include <cstdio>

#include "tools/commands.hpp"

namespace merit::tools {

int cmd_replay(int, char**) {
  std::fputs("merit replay: not built yet\n", stderr);
  return 2;
}

}  // namespace merit::tools
