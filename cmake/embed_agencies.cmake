# embed_agencies.cmake — turns analysis/agencies.tsv into a C table (cmake -P, at build time):
#   cmake -DIN=agencies.tsv -DOUT=agencies_table.c -P embed_agencies.cmake
# Lines starting with # and the header row are skipped; every other row needs five tab-separated
# fields with no double quote or backslash, else the build fails naming the line.
file(STRINGS "${IN}" lines ENCODING UTF-8)
set(body "")
set(n 0)
set(lineno 0)
foreach(line IN LISTS lines)
  math(EXPR lineno "${lineno} + 1")
  if(line MATCHES "^#" OR line MATCHES "^name\t" OR line STREQUAL "")
    continue()
  endif()
  if(line MATCHES "[\"\\\\]")
    message(FATAL_ERROR "${IN}:${lineno}: no \" or \\ allowed")
  endif()
  string(REPLACE "\t" ";" fields "${line}")
  list(LENGTH fields nf)
  if(NOT nf EQUAL 5)
    message(FATAL_ERROR "${IN}:${lineno}: ${nf} fields, want 5 (name tag short former source)")
  endif()
  list(GET fields 0 name)
  list(GET fields 1 tag)
  list(GET fields 2 short)
  list(GET fields 3 former)
  string(APPEND body "    {\"${name}\", \"${tag}\", \"${short}\", \"${former}\"},\n")
  math(EXPR n "${n} + 1")
endforeach()
file(WRITE "${OUT}.tmp" "/* Generated from analysis/agencies.tsv by cmake/embed_agencies.cmake: do not edit. */\n"
  "#include \"agency_table.h\"\n\nconst agency_row agency_rows[] = {\n${body}};\n"
  "const unsigned agency_nrows = ${n};\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
