"""PostgreSQL refuses, at commit, any journal entry whose postings do not sum to zero per currency.

A deferred constraint trigger runs at the end of the transaction, after every posting of the
entry is written. SQLite has no deferred triggers: there ``services.post_entry`` is the guard,
and tests check every entry balances.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION loans_check_entry_balanced() RETURNS trigger AS $$
DECLARE
    target bigint := COALESCE(NEW.entry_id, OLD.entry_id);
    bad record;
BEGIN
    SELECT currency, SUM(amount_minor) AS total INTO bad
      FROM loans_posting WHERE entry_id = target
     GROUP BY currency HAVING SUM(amount_minor) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance in % (sum %)', target, bad.currency, bad.total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS loans_posting_balanced ON loans_posting;
CREATE CONSTRAINT TRIGGER loans_posting_balanced
    AFTER INSERT OR UPDATE OR DELETE ON loans_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION loans_check_entry_balanced();
"""

DROP = """
DROP TRIGGER IF EXISTS loans_posting_balanced ON loans_posting;
DROP FUNCTION IF EXISTS loans_check_entry_balanced();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
