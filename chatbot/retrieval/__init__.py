"""Search over passage texts: BM25 (lexical), embeddings (dense) and their fusion (hybrid)."""
