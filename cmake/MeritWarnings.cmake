# merit_warnings(<target>): warnings are errors, for our code only (library headers come in as
# imported targets from /usr/include, so they are system headers and these flags skip them).
# GCC 12 at -O3 reports -Wrestrict on std::string concatenation inside libstdc++ (GCC bug 105329,
# a false positive), so that one warning is off for GCC.
function(merit_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Werror)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()
