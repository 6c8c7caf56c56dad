# Empty dependencies file for shiryo_indexer.
# This may be replaced when dependencies are built.
