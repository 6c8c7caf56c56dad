file(REMOVE_RECURSE
  "CMakeFiles/shiryo-index.dir/indexer/main.c.o"
  "CMakeFiles/shiryo-index.dir/indexer/main.c.o.d"
  "shiryo-index"
  "shiryo-index.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/shiryo-index.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
