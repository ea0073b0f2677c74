"""The chatbot's tables: the book's passages and what readers asked about them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class BookFile(models.Model):
    """One ingested Markdown file, so an unchanged file is recognised by its content hash."""

    path = models.CharField(max_length=500, unique=True)
    content_hash = models.CharField(max_length=64)
    ingested_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "book_files"

    def __str__(self) -> str:
        return self.path


class Passage(models.Model):
    """A retrievable, citable piece of a file, with its embedding when the model was there."""

    file = models.ForeignKey(BookFile, on_delete=models.CASCADE, related_name="passages")
    ordinal = models.PositiveIntegerField()
    heading_path = models.JSONField(default=list)
    anchor = models.CharField(max_length=300, blank=True, default="")
    text = models.TextField()
    file_hash = models.CharField(max_length=64)
    # float32 little-endian, DIMENSION values; the id says which model produced them.
    embedding = models.BinaryField(null=True, blank=True)
    embedding_model = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        db_table = "book_passages"
        ordering = ("file__path", "ordinal")
        constraints = [
            models.UniqueConstraint(fields=["file", "ordinal"], name="book_passages_file_ordinal")
        ]

    def __str__(self) -> str:
        return f"{self.file.path}#{self.anchor} ({self.ordinal})"


class CorpusVersion(models.Model):
    """A single row whose counter every ingest that changes passages bumps, in the same commit."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "book_corpus_version"

    def __str__(self) -> str:
        return f"corpus version {self.version}"


class Conversation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    title = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "conversations"
        indexes = [models.Index(fields=["user", "-updated_at"], name="conversations_user_updated")]

    def __str__(self) -> str:
        return self.title or str(self.id)


class Message(models.Model):
    class Role(models.TextChoices):
        QUESTION = "question"
        ANSWER = "answer"

    class Generator(models.TextChoices):
        EXTRACTIVE = "extractive"
        LLM = "llm"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    content = models.TextField()
    # Copies of the cited passages: they stay readable after a re-ingest replaces the rows.
    sources = models.JSONField(default=list, blank=True)
    generator = models.CharField(max_length=12, choices=Generator.choices, blank=True, default="")
    # Set by the service: a question is dated when asked, its answer when answered.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "messages"
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="messages_conv_created")
        ]

    def __str__(self) -> str:
        return f"{self.role} in {self.conversation_id}"


class IdempotentExchange(models.Model):
    """A chat post's Idempotency-Key and the exchange it stored, written in the same commit,
    so a retried post gets that exchange back instead of storing a second one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # SHA-256 of the route and body: the same key with another request is a conflict.
    fingerprint = models.CharField(max_length=64)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "chat_idempotency_keys"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="chat_idempotency_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.user_id}"
