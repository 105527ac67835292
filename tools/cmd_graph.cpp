// merit graph (placeholder until its issue lands).
#include <cstdio>

#include "tools/commands.hpp"

namespace merit::tools {

int cmd_graph(int, char**) {
  std::fputs("merit graph: not built yet\n", stderr);
  return 2;
}

}  // namespace merit::tools
