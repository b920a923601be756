"""Explicit consent (ordonnance n° 2025-880; CCD2 art. 15 and recital on pre-ticked boxes): no box is
ticked and no option chosen in advance, for the credit or for any ancillary service (insurance
included). Checked over every form class of Guichet and every template, and on the pages themselves."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings

import guichet

CHOICE_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(guichet.__path__, "guichet."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        spec = importlib.util.find_spec(info.name)
        source = Path(spec.origin).read_text() if spec and spec.origin and spec.origin.endswith(".py") else ""
        if "forms." in source or "Form)" in source:
            importlib.import_module(info.name)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("guichet."):
                found.append(sub)
    return found


def test_guichet_has_forms_to_check():
    names = {f.__name__ for f in _all_form_classes()}
    assert {"ApplicationForm", "AssessmentForm", "ForbearanceForm", "AlertsForm"} <= names


@pytest.mark.parametrize("form_class", _all_form_classes(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_no_box_is_ticked_and_no_option_chosen_in_advance(form_class):
    for name, field in form_class.base_fields.items():
        widget = field.widget
        if isinstance(widget, CHOICE_WIDGETS) or isinstance(field, forms.BooleanField):
            assert not field.initial, f"{form_class.__name__}.{name} starts ticked"
            assert "checked" not in widget.attrs, f"{form_class.__name__}.{name} renders checked"


def test_no_template_ticks_a_box_unconditionally():
    offenders = []
    for path in (Path(settings.BASE_DIR) / "guichet").rglob("*.html"):
        for tag in re.findall(r"<input[^>]*>", path.read_text()):
            if re.search(r"\bchecked\b", tag) and "{% if" not in tag:
                offenders.append(f"{path.name}: {tag}")
    assert offenders == []


def test_the_insurance_of_a_new_application_defaults_to_none(db):
    from guichet.backoffice.views.applications import ApplicationForm

    form = ApplicationForm()
    assert form["insurance"].value() in (None, "")
    assert form.fields["insurance"].choices[0][0] == ""  # "Sans assurance" comes first and is the default
