from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.backends.signals import connection_created

        from core.database import database_connection_created, database_drop_closed_connections

        connection_created.connect(database_connection_created)
        request_started.connect(database_drop_closed_connections)
