"""Three indexes fewer on the ledger's hot tables: each is one more write per row, and a business day
writes two million entries and ten million postings at a million contracts (issue 14).

* ``journalentry.contract`` alone: the (contract, effective_on) index serves every lookup by contract;
* ``posting.account`` alone: the (account, entry) index serves every lookup by account;
* ``journalentry.idempotency_key`` ``varchar_pattern_ops`` (``…_like``): Django adds it to a unique
  CharField for ``LIKE 'abc%'``; keys are only ever looked up whole, by the unique index that stays.
"""

import django.db.models.deletion
from django.db import migrations, models


def _drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        name = schema_editor._create_index_name("loans_journalentry", ["idempotency_key"], suffix="_like")
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def _create_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        name = schema_editor._create_index_name("loans_journalentry", ["idempotency_key"], suffix="_like")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON loans_journalentry (idempotency_key varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("loans", "0006_balanced_entries_by_statement")]

    operations = [
        migrations.AlterField(
            model_name="journalentry",
            name="contract",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="journal_entries",
                to="loans.contract",
            ),
        ),
        migrations.AlterField(
            model_name="posting",
            name="account",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="postings",
                to="loans.account",
            ),
        ),
        migrations.RunPython(_drop_like_index, _create_like_index),
    ]
