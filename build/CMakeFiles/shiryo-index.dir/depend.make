# Empty dependencies file for shiryo-index.
# This may be replaced when dependencies are built.
