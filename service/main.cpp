// meritd: the Merit daemon (INTERFACES.md §2). A placeholder until the daemon issue: it prints its
// usage and exits 2, so nobody mistakes it for a running server.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  std::fputs(
      "usage: meritd --rules FILE --db PATH [--listen 127.0.0.1:8080] [--tokens FILE] [--threads "
      "N]\n"
      "\n"
      "The HTTP daemon is not built yet: use `merit replay` to evaluate histories.\n",
      stderr);
  bool help = argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0);
  return help ? 0 : 2;
}
