file(REMOVE_RECURSE
  "CMakeFiles/shiryo_xap.dir/shim/xap.cc.o"
  "CMakeFiles/shiryo_xap.dir/shim/xap.cc.o.d"
  "libshiryo_xap.a"
  "libshiryo_xap.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/shiryo_xap.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
