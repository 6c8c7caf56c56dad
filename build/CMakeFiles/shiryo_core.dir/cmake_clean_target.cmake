file(REMOVE_RECURSE
  "libshiryo_core.a"
)
