# Empty dependencies file for shiryo_xap.
# This may be replaced when dependencies are built.
