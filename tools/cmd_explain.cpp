// merit explain (placeholder until its issue lands).
#include <cstdio>

#include "tools/commands.hpp"

namespace merit::tools {

int cmd_explain(int, char**) {
  std::fputs("merit explain: not built yet\n", stderr);
  return 2;
}

}  // namespace merit::tools
