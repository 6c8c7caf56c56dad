# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(unit.test_era "/work/main/build/tests/test_era")
set_tests_properties(unit.test_era PROPERTIES  ENVIRONMENT "SHIRYO_SOURCE_DIR=/work/main;SHIRYO_TEST_TMP=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;8;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.test_norm "/work/main/build/tests/test_norm")
set_tests_properties(unit.test_norm PROPERTIES  ENVIRONMENT "SHIRYO_SOURCE_DIR=/work/main;SHIRYO_TEST_TMP=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;8;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.test_page "/work/main/build/tests/test_page")
set_tests_properties(unit.test_page PROPERTIES  ENVIRONMENT "SHIRYO_SOURCE_DIR=/work/main;SHIRYO_TEST_TMP=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;8;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.test_seg "/work/main/build/tests/test_seg")
set_tests_properties(unit.test_seg PROPERTIES  ENVIRONMENT "SHIRYO_SOURCE_DIR=/work/main;SHIRYO_TEST_TMP=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;8;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.test_terms "/work/main/build/tests/test_terms")
set_tests_properties(unit.test_terms PROPERTIES  ENVIRONMENT "SHIRYO_SOURCE_DIR=/work/main;SHIRYO_TEST_TMP=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;8;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.test_xap "/work/main/build/tests/test_xap")
set_tests_properties(unit.test_xap PROPERTIES  ENVIRONMENT "SHIRYO_SOURCE_DIR=/work/main;SHIRYO_TEST_TMP=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;8;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(cli.e2e "bash" "/work/main/tests/cli/e2e.sh")
set_tests_properties(cli.e2e PROPERTIES  ENVIRONMENT "SHIRYO_SOURCE_DIR=/work/main;SHIRYO_BIN=/work/main/build;SHIRYO_TEST_TMP=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
