# Empty dependencies file for test_era.
# This may be replaced when dependencies are built.
