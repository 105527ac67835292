// merit fmt (placeholder until its issue lands).
#include <cstdio>

#include "tools/commands.hpp"

namespace merit::tools {

int cmd_fmt(int, char**) {
  std::fputs("merit fmt: not built yet\n", stderr);
  return 2;
}

}  // namespace merit::tools
