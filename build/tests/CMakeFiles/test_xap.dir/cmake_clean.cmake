file(REMOVE_RECURSE
  "CMakeFiles/test_xap.dir/unit/test_xap.c.o"
  "CMakeFiles/test_xap.dir/unit/test_xap.c.o.d"
  "test_xap"
  "test_xap.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_xap.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
