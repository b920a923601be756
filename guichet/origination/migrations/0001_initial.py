"""ApplicationReview moves from the back office to origination, keeping its table and rows
(state-only move, see backoffice 0002); then the new columns and the creditworthiness assessment."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("backoffice", "0001_initial"),
        ("signing", "0003_application_information_delivered_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApplicationReview",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("exception_reasons", models.JSONField(blank=True, default=list)),
                        ("usury_message", models.CharField(blank=True, max_length=300)),
                        ("approved_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "application",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE, related_name="review", to="signing.application"
                            ),
                        ),
                        (
                            "approved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "backoffice_applicationreview"},
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="applicationreview",
            name="catalogue_debit_rate",
            field=models.DecimalField(
                blank=True, decimal_places=6, help_text="The tariff's rate for the application.", max_digits=9, null=True
            ),
        ),
        migrations.AddField(
            model_name="applicationreview",
            name="rate_reason",
            field=models.TextField(blank=True, help_text="Why the advisor proposed a rate off the tariff."),
        ),
        migrations.CreateModel(
            name="CreditAssessment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("currency", models.CharField(max_length=3)),
                ("monthly_income_minor", models.BigIntegerField()),
                ("monthly_charges_minor", models.BigIntegerField()),
                (
                    "evidence",
                    models.JSONField(default=list, help_text="The documents the income and charges were checked on."),
                ),
                ("ficp_consulted", models.BooleanField(default=False)),
                ("ficp_registered", models.BooleanField(blank=True, null=True)),
                ("ficp_source", models.CharField(blank=True, max_length=80)),
                ("debt_ratio", models.DecimalField(decimal_places=4, max_digits=7)),
                ("analysis", models.TextField()),
                (
                    "outcome",
                    models.CharField(
                        choices=[("favourable", "favorable"), ("unfavourable", "défavorable")], max_length=14
                    ),
                ),
                ("automated", models.BooleanField(default=True)),
                ("assessed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("human_review_requested_at", models.DateTimeField(blank=True, null=True)),
                ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                ("review_note", models.TextField(blank=True)),
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="credit_assessment",
                        to="signing.application",
                    ),
                ),
                (
                    "assessed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
