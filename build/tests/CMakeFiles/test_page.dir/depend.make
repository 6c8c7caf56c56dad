# Empty dependencies file for test_page.
# This may be replaced when dependencies are built.
