# Empty dependencies file for shiryo_query.
# This may be replaced when dependencies are built.
