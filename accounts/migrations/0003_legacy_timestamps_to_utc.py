"""Make the taken-over timestamps timezone-aware on PostgreSQL.

The replaced service wrote naive UTC into TIMESTAMP WITHOUT TIME ZONE columns; Django reads
timestamptz. A database created by migration 0001 already has timestamptz, so this is a no-op
there. SQLite stores text either way and needs nothing."""

from django.db import migrations

LEGACY_TABLES = ("users", "auth_sessions", "oauth_accounts")


def naive_columns_to_timestamptz(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ANY(%s) "
            "AND data_type = 'timestamp without time zone'",
            [list(LEGACY_TABLES)],
        )
        for table, column in cursor.fetchall():
            table_q, column_q = schema_editor.quote_name(table), schema_editor.quote_name(column)
            cursor.execute(
                f"ALTER TABLE {table_q} ALTER COLUMN {column_q} TYPE timestamp with time zone "
                f"USING {column_q} AT TIME ZONE 'UTC'"
            )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_django_auth_and_new_tables")]

    operations = [migrations.RunPython(naive_columns_to_timestamptz, migrations.RunPython.noop)]
