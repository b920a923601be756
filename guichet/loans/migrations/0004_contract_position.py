"""Positions as data (issue 15): the table, then one row per existing contract computed from its ledger."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def build_positions(apps, schema_editor):
    """Fill the table from the ledger, as ``manage.py rebuild_positions`` does.

    Only when contracts exist (a fresh database skips it), through the service so the rows follow
    the same rules as the ledger writers' refresh.
    """
    if not apps.get_model("loans", "Contract").objects.exists():
        return
    from guichet.loans.services.positions import rebuild_all

    rebuild_all()


class Migration(migrations.Migration):

    dependencies = [
        ('loans', '0003_contract_product'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContractPosition',
            fields=[
                ('contract', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='position', serialize=False, to='loans.contract')),
                ('principal_minor', models.BigIntegerField(default=0)),
                ('principal_due_minor', models.BigIntegerField(default=0)),
                ('interest_due_minor', models.BigIntegerField(default=0)),
                ('insurance_due_minor', models.BigIntegerField(default=0)),
                ('fees_due_minor', models.BigIntegerField(default=0)),
                ('suspense_minor', models.BigIntegerField(default=0)),
                ('lent_minor', models.BigIntegerField(default=0)),
                ('paid_minor', models.BigIntegerField(default=0)),
                ('installments_covered_minor', models.BigIntegerField(default=0)),
                ('unpaid', models.JSONField(default=list)),
                ('oldest_unpaid_on', models.DateField(blank=True, null=True)),
                ('next_line_number', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('next_due_on', models.DateField(blank=True, null=True)),
                ('next_amount_minor', models.BigIntegerField(blank=True, null=True)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('schedule_version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='loans.scheduleversion')),
            ],
            options={
                'indexes': [models.Index(fields=['oldest_unpaid_on'], name='loans_contr_oldest__f03718_idx')],
            },
        ),
        migrations.RunPython(build_positions, migrations.RunPython.noop),
    ]
