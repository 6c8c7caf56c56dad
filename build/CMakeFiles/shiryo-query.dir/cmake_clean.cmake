file(REMOVE_RECURSE
  "CMakeFiles/shiryo-query.dir/query/main.c.o"
  "CMakeFiles/shiryo-query.dir/query/main.c.o.d"
  "shiryo-query"
  "shiryo-query.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/shiryo-query.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
