# Empty dependencies file for shiryo-query.
# This may be replaced when dependencies are built.
