"""The English catalogue is complete and the committed .mo matches the .po (CI has no gettext, so the
compiled file is committed: a stale one would silently show old or French text)."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[3] / "guichet" / "locale" / "en" / "LC_MESSAGES"


def _catalog():
    with (LOCALE / "django.po").open("rb") as fh:
        return read_po(fh)


def test_every_msgid_has_an_english_msgstr_and_none_is_fuzzy():
    catalog = _catalog()
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert len(catalog) > 1000
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"fuzzy entries: {fuzzy[:5]}"


def test_placeholders_are_kept_in_every_translation():
    problems = [
        (m.id, [str(e) for e in errors])
        for m, errors in _catalog().check()
        if "no-python-format" not in m.flags
    ]
    assert problems == []


def test_committed_mo_is_up_to_date_with_the_po():
    buffer = io.BytesIO()
    write_mo(buffer, _catalog())
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)._catalog  # type: ignore[attr-defined]
    with (LOCALE / "django.mo").open("rb") as fh:
        committed = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    fresh.pop("", None)
    committed.pop("", None)
    missing = sorted(str(k) for k in fresh.keys() - committed.keys())
    stale = sorted(str(k) for k in fresh.keys() & committed.keys() if fresh[k] != committed[k])
    assert not missing and not stale, (
        f"run manage.py compilemessages --ignore=.venv: {len(missing)} missing, {len(stale)} stale, "
        f"e.g. {(missing + stale)[:3]}"
    )
    assert committed.keys() <= fresh.keys()


def test_translations_are_loaded_by_django():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Tableau de bord") == "Dashboard"
        assert translation.gettext("Taux débiteur") == "Borrowing rate"
