# Empty dependencies file for test_xap.
# This may be replaced when dependencies are built.
