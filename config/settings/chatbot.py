"""The chatbot: the book, retrieval and answering."""

from pathlib import Path

from config.settings.environment import BASE_DIR, env

# What `ingest_book` reads when given no path (`make run` gives none).
BOOK_DIR = Path(env.str("BOOK_DIR", default=str(BASE_DIR / "chatbot" / "book")))

# Empty: the packaged int8 MiniLM. A file that fails its SHA-256 check means lexical search.
EMBEDDING_MODEL_PATH = env.str("EMBEDDING_MODEL_PATH", default="")
# Each worker reads the corpus version at most this often, so a search rarely costs a query.
CHAT_CORPUS_CHECK_SECONDS = env.float("CHAT_CORPUS_CHECK_SECONDS", default=5.0)
CHAT_PASSAGES = env.int("CHAT_PASSAGES", default=4)
CHAT_HISTORY_MESSAGES = env.int("CHAT_HISTORY_MESSAGES", default=6)
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_BASE_URL = env.str("LLM_BASE_URL", default="https://api.openai.com/v1")
LLM_MODEL = env.str("LLM_MODEL", default="gpt-4o-mini")
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=20.0)
