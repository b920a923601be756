"""StaffAction now belongs to guichet.audit (same table, rows kept): state-only removal (issue 10)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_applicationreview_moves_to_origination"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StaffAction")],
            database_operations=[],
        ),
    ]
