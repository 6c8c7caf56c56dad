# FindMeCab.cmake — MeCab ships no pkg-config file on Debian; ask mecab-config, then fall back
# to the standard search paths. Defines the imported target MeCab::MeCab and MECAB_DICDIR.
find_program(MECAB_CONFIG mecab-config)
if(MECAB_CONFIG)
  execute_process(COMMAND ${MECAB_CONFIG} --inc-dir OUTPUT_VARIABLE _mecab_inc OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${MECAB_CONFIG} --libs-only-L OUTPUT_VARIABLE _mecab_libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  string(REPLACE "-L" "" _mecab_libdir "${_mecab_libdir}")
endif()
find_path(MECAB_INCLUDE_DIR mecab.h HINTS ${_mecab_inc})
find_library(MECAB_LIBRARY NAMES mecab HINTS ${_mecab_libdir})
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(MeCab REQUIRED_VARS MECAB_LIBRARY MECAB_INCLUDE_DIR)
if(MeCab_FOUND AND NOT TARGET MeCab::MeCab)
  add_library(MeCab::MeCab UNKNOWN IMPORTED)
  set_target_properties(MeCab::MeCab PROPERTIES
    IMPORTED_LOCATION "${MECAB_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${MECAB_INCLUDE_DIR}")
endif()
