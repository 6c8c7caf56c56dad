file(REMOVE_RECURSE
  "CMakeFiles/shiryo_query.dir/query/printer.c.o"
  "CMakeFiles/shiryo_query.dir/query/printer.c.o.d"
  "CMakeFiles/shiryo_query.dir/query/qbuild.c.o"
  "CMakeFiles/shiryo_query.dir/query/qbuild.c.o.d"
  "CMakeFiles/shiryo_query.dir/query/qparse.c.o"
  "CMakeFiles/shiryo_query.dir/query/qparse.c.o.d"
  "CMakeFiles/shiryo_query.dir/query/search.c.o"
  "CMakeFiles/shiryo_query.dir/query/search.c.o.d"
  "libshiryo_query.a"
  "libshiryo_query.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/shiryo_query.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
