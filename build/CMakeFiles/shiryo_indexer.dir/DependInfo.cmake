
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/indexer/columns.c" "CMakeFiles/shiryo_indexer.dir/indexer/columns.c.o" "gcc" "CMakeFiles/shiryo_indexer.dir/indexer/columns.c.o.d"
  "/work/main/indexer/index.c" "CMakeFiles/shiryo_indexer.dir/indexer/index.c.o" "gcc" "CMakeFiles/shiryo_indexer.dir/indexer/index.c.o.d"
  "/work/main/indexer/page.c" "CMakeFiles/shiryo_indexer.dir/indexer/page.c.o" "gcc" "CMakeFiles/shiryo_indexer.dir/indexer/page.c.o.d"
  "/work/main/indexer/passage.c" "CMakeFiles/shiryo_indexer.dir/indexer/passage.c.o" "gcc" "CMakeFiles/shiryo_indexer.dir/indexer/passage.c.o.d"
  "/work/main/indexer/textfile.c" "CMakeFiles/shiryo_indexer.dir/indexer/textfile.c.o" "gcc" "CMakeFiles/shiryo_indexer.dir/indexer/textfile.c.o.d"
  "/work/main/indexer/walk.c" "CMakeFiles/shiryo_indexer.dir/indexer/walk.c.o" "gcc" "CMakeFiles/shiryo_indexer.dir/indexer/walk.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/shiryo_core.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/shiryo_xap.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
