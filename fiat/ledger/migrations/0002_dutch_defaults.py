"""Install the Dutch default chart of accounts and VAT codes."""

from django.db import migrations

from fiat.ledger.defaults import install_dutch_defaults


def install(apps, schema_editor):
    install_dutch_defaults(apps.get_model("ledger", "Account"), apps.get_model("ledger", "VatCode"))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
