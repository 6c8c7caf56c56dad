file(REMOVE_RECURSE
  "CMakeFiles/test_era.dir/unit/test_era.c.o"
  "CMakeFiles/test_era.dir/unit/test_era.c.o.d"
  "test_era"
  "test_era.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_era.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
