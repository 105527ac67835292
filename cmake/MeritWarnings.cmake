# merit_warnings(<target>): warnings are errors, for our code only (library headers come in as
# imported targets from /usr/include, so they are system headers and these flags skip them).
function(merit_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Werror)
endfunction()
