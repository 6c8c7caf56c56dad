# Empty dependencies file for shiryo_core.
# This may be replaced when dependencies are built.
