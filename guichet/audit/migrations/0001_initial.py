"""StaffAction moves from the back office to guichet.audit, keeping its table and rows (state-only move,
see backoffice 0003), so that the domain services can write their own audit records (issue 10)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("backoffice", "0002_applicationreview_moves_to_origination"),
        ("customers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StaffAction",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(max_length=16)),
                        ("action", models.CharField(max_length=40)),
                        ("allowed", models.BooleanField()),
                        ("target", models.CharField(blank=True, max_length=120)),
                        ("detail", models.JSONField(blank=True, default=dict)),
                        ("ip", models.GenericIPAddressField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="staff_actions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "customer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="staff_actions",
                                to="customers.customer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "action du personnel",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "backoffice_staffaction",
                        "indexes": [
                            models.Index(fields=["actor", "created_at"], name="backoffice__actor_i_aa0fbe_idx"),
                            models.Index(fields=["customer", "created_at"], name="backoffice__custome_90395f_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
