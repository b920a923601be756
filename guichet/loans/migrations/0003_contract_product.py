import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("loans", "0002_balanced_entries_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="product",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="contracts",
                to="catalogue.product",
            ),
        ),
    ]
