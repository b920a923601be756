"""ApplicationReview now belongs to guichet.origination (same table, rows kept): state-only removal."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_initial"),
        ("origination", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApplicationReview")],
            database_operations=[],
        ),
    ]
