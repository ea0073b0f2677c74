from django.apps import AppConfig


class ChatbotConfig(AppConfig):
    name = "chatbot"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chatbot.search import retrieval_mode
        from core.health import health_fact_register

        health_fact_register("retrieval", retrieval_mode)
