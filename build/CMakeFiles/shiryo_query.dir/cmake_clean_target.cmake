file(REMOVE_RECURSE
  "libshiryo_query.a"
)
