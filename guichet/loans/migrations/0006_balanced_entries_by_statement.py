"""The balance of bulk-written entries is checked once per statement, not once per posting row.

0002's deferred row trigger runs one aggregate per posting row at commit: a business-day chunk writes
10 000 postings and paid about 0.2 s for it, a fifth of the chunk (issue 14, ``SET CONSTRAINTS ALL
IMMEDIATE`` in the chunk's timing). The bulk writer (``loans.services.bulk``) writes every posting of
its entries in one COPY; for that statement a statement-level trigger with a transition table checks
every entry the statement touched in one set-based query.

Which trigger checks an inserted row is chosen by the transaction-local setting
``guichet.posting_check``: ``statement`` (set by the bulk writer around its COPY) → the statement
trigger, anything else → the deferred row trigger of 0002. The setting never turns the check off: it
only moves it from commit to the end of the statement, so an entry split over two statements in that
mode is refused at once. UPDATE and DELETE of postings keep the row trigger whatever the setting.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION loans_check_statement_balanced() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    IF current_setting('guichet.posting_check', true) IS DISTINCT FROM 'statement' THEN
        RETURN NULL;  -- the deferred row trigger checks these rows at commit
    END IF;
    -- Every posting of the entries the statement touched, by the entry index (an array, so the
    -- planner does not hash-join the whole table against a transition table it has no statistics of).
    SELECT p.entry_id, p.currency, SUM(p.amount_minor) AS total INTO bad
      FROM loans_posting p
     WHERE p.entry_id = ANY(ARRAY(SELECT DISTINCT entry_id FROM added))
     GROUP BY p.entry_id, p.currency HAVING SUM(p.amount_minor) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance in % (sum %)', bad.entry_id, bad.currency, bad.total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS loans_posting_balanced ON loans_posting;
CREATE CONSTRAINT TRIGGER loans_posting_balanced
    AFTER UPDATE OR DELETE ON loans_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION loans_check_entry_balanced();
CREATE CONSTRAINT TRIGGER loans_posting_balanced_insert
    AFTER INSERT ON loans_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (current_setting('guichet.posting_check', true) IS DISTINCT FROM 'statement')
    EXECUTE FUNCTION loans_check_entry_balanced();
CREATE TRIGGER loans_posting_balanced_statement
    AFTER INSERT ON loans_posting
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION loans_check_statement_balanced();
"""

DROP = """
DROP TRIGGER IF EXISTS loans_posting_balanced_statement ON loans_posting;
DROP TRIGGER IF EXISTS loans_posting_balanced_insert ON loans_posting;
DROP TRIGGER IF EXISTS loans_posting_balanced ON loans_posting;
DROP FUNCTION IF EXISTS loans_check_statement_balanced();
CREATE CONSTRAINT TRIGGER loans_posting_balanced
    AFTER INSERT OR UPDATE OR DELETE ON loans_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION loans_check_entry_balanced();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("loans", "0005_revolving_use_stopped_and_speed_change")]

    operations = [migrations.RunPython(forwards, backwards)]
