file(REMOVE_RECURSE
  "libshiryo_xap.a"
)
