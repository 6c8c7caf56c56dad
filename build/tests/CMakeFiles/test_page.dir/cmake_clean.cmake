file(REMOVE_RECURSE
  "CMakeFiles/test_page.dir/unit/test_page.c.o"
  "CMakeFiles/test_page.dir/unit/test_page.c.o.d"
  "test_page"
  "test_page.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_page.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
