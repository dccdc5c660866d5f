from django.db import migrations, models


def create_text_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    """FTS5 on SQLite, a GIN index over tsvector on PostgreSQL; nothing elsewhere."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE web_searchfts USING fts5(terms, doc_id UNINDEXED)")
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX web_searchdoc_terms_gin ON web_searchdoc "
            "USING gin (to_tsvector('simple', terms))")


def drop_text_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS web_searchfts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS web_searchdoc_terms_gin")


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []  # type: ignore[type-arg]

    operations = [
        migrations.CreateModel(
            name="SearchDoc",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=20)),
                ("key", models.CharField(max_length=300)),
                ("title", models.CharField(max_length=500)),
                ("detail", models.TextField(blank=True)),
                ("url", models.CharField(max_length=600)),
                ("terms", models.TextField()),
            ],
        ),
        migrations.CreateModel(
            name="SearchState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("stamp", models.CharField(max_length=100)),
            ],
        ),
        migrations.RunPython(create_text_index, drop_text_index),
    ]
