file(REMOVE_RECURSE
  "CMakeFiles/shiryo_core.dir/analysis/analyzer.c.o"
  "CMakeFiles/shiryo_core.dir/analysis/analyzer.c.o.d"
  "CMakeFiles/shiryo_core.dir/analysis/era.c.o"
  "CMakeFiles/shiryo_core.dir/analysis/era.c.o.d"
  "CMakeFiles/shiryo_core.dir/analysis/ministry.c.o"
  "CMakeFiles/shiryo_core.dir/analysis/ministry.c.o.d"
  "CMakeFiles/shiryo_core.dir/analysis/norm.c.o"
  "CMakeFiles/shiryo_core.dir/analysis/norm.c.o.d"
  "CMakeFiles/shiryo_core.dir/analysis/seg.c.o"
  "CMakeFiles/shiryo_core.dir/analysis/seg.c.o.d"
  "CMakeFiles/shiryo_core.dir/analysis/terms.c.o"
  "CMakeFiles/shiryo_core.dir/analysis/terms.c.o.d"
  "CMakeFiles/shiryo_core.dir/common/buf.c.o"
  "CMakeFiles/shiryo_core.dir/common/buf.c.o.d"
  "CMakeFiles/shiryo_core.dir/common/diag.c.o"
  "CMakeFiles/shiryo_core.dir/common/diag.c.o.d"
  "libshiryo_core.a"
  "libshiryo_core.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/shiryo_core.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
