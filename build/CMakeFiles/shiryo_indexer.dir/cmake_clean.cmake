file(REMOVE_RECURSE
  "CMakeFiles/shiryo_indexer.dir/indexer/columns.c.o"
  "CMakeFiles/shiryo_indexer.dir/indexer/columns.c.o.d"
  "CMakeFiles/shiryo_indexer.dir/indexer/index.c.o"
  "CMakeFiles/shiryo_indexer.dir/indexer/index.c.o.d"
  "CMakeFiles/shiryo_indexer.dir/indexer/page.c.o"
  "CMakeFiles/shiryo_indexer.dir/indexer/page.c.o.d"
  "CMakeFiles/shiryo_indexer.dir/indexer/passage.c.o"
  "CMakeFiles/shiryo_indexer.dir/indexer/passage.c.o.d"
  "CMakeFiles/shiryo_indexer.dir/indexer/textfile.c.o"
  "CMakeFiles/shiryo_indexer.dir/indexer/textfile.c.o.d"
  "CMakeFiles/shiryo_indexer.dir/indexer/walk.c.o"
  "CMakeFiles/shiryo_indexer.dir/indexer/walk.c.o.d"
  "libshiryo_indexer.a"
  "libshiryo_indexer.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/shiryo_indexer.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
