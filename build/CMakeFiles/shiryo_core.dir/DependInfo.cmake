
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/analysis/analyzer.c" "CMakeFiles/shiryo_core.dir/analysis/analyzer.c.o" "gcc" "CMakeFiles/shiryo_core.dir/analysis/analyzer.c.o.d"
  "/work/main/analysis/era.c" "CMakeFiles/shiryo_core.dir/analysis/era.c.o" "gcc" "CMakeFiles/shiryo_core.dir/analysis/era.c.o.d"
  "/work/main/analysis/ministry.c" "CMakeFiles/shiryo_core.dir/analysis/ministry.c.o" "gcc" "CMakeFiles/shiryo_core.dir/analysis/ministry.c.o.d"
  "/work/main/analysis/norm.c" "CMakeFiles/shiryo_core.dir/analysis/norm.c.o" "gcc" "CMakeFiles/shiryo_core.dir/analysis/norm.c.o.d"
  "/work/main/analysis/seg.c" "CMakeFiles/shiryo_core.dir/analysis/seg.c.o" "gcc" "CMakeFiles/shiryo_core.dir/analysis/seg.c.o.d"
  "/work/main/analysis/terms.c" "CMakeFiles/shiryo_core.dir/analysis/terms.c.o" "gcc" "CMakeFiles/shiryo_core.dir/analysis/terms.c.o.d"
  "/work/main/common/buf.c" "CMakeFiles/shiryo_core.dir/common/buf.c.o" "gcc" "CMakeFiles/shiryo_core.dir/common/buf.c.o.d"
  "/work/main/common/diag.c" "CMakeFiles/shiryo_core.dir/common/diag.c.o" "gcc" "CMakeFiles/shiryo_core.dir/common/diag.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/shiryo_xap.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
