// The subcommands of `merit`. Each takes the arguments after `merit` (argv[0] is the subcommand's
// name) and returns the exit code: 0 success, 1 a finding, 2 bad usage or unreadable input.
#pragma once

namespace merit::tools {

int cmd_check(int argc, char** argv);
int cmd_fmt(int argc, char** argv);
int cmd_graph(int argc, char** argv);
int cmd_replay(int argc, char** argv);
int cmd_explain(int argc, char** argv);
int cmd_gen(int argc, char** argv);
int cmd_test(int argc, char** argv);

}  // namespace merit::tools
