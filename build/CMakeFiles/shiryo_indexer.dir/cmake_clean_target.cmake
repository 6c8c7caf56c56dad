file(REMOVE_RECURSE
  "libshiryo_indexer.a"
)
