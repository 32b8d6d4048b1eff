"""The admin's "Replace the text…" of a reading: upload, preview, confirm (staff only).

1. Upload a file (any importer format). It is parsed, kept in the session (as the import page
   keeps its uploads, `readings.uploads`), and the real replacement is run in a transaction
   that is rolled back: the preview shows the chapters before → after, the passages kept,
   changed, added and removed, every thread's predicted fate and the sessions affected.
2. Confirm. The fates are checked again first, since threads may have been written since the
   preview: if any differ, the preview is shown again with the differences, to confirm anew.
   Then the text is replaced in one transaction and a `TextReplacement` recorded — or, for a
   large reading, a background task does it and its record's page shows the progress.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .importers.base import ReadingImportError
from .models import Reading
from .replacement import (
    Upload,
    differences,
    needs_background,
    preview_replacement,
    queue_replacement,
    replace_text,
)
from .uploads import (
    ReadingUploadForm,
    discard_upload,
    load_upload,
    parse_upload,
    stash_upload,
)

EXPECTED_KEY = "readings.replacement_fates"


class ReplaceUploadForm(ReadingUploadForm):
    """The file (and its format): the reading keeps its title, author, source and licence."""

    title = None
    author = None


class ReplaceConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


@dataclass
class ReplaceStep:
    upload_form: ReplaceUploadForm | None = None
    confirm_form: ReplaceConfirmForm | None = None
    report: object = None
    changed_since: list | None = None
    error: str = ""


def replace_view(request: HttpRequest, reading: Reading, context: dict) -> HttpResponse:
    """One step of upload → preview → confirm (see the module docstring)."""
    step = _step(request, reading)
    if isinstance(step, HttpResponse):
        return step
    return TemplateResponse(
        request,
        "admin/readings/reading/replace.html",
        {**context, "reading": reading, "step": step, "title": f"Replace the text of {reading}"},
    )


def _step(request: HttpRequest, reading: Reading) -> ReplaceStep | HttpResponse:
    if request.method != "POST":
        return ReplaceStep(upload_form=ReplaceUploadForm())
    if "token" not in request.POST:
        form = ReplaceUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return ReplaceStep(upload_form=form)
        token = stash_upload(request.session, form.upload)
        return _preview(request, reading, token, form.parsed)
    token = request.POST["token"]
    stashed = load_upload(request.session, token)
    if stashed is None:
        return ReplaceStep(
            upload_form=ReplaceUploadForm(),
            error="This upload has expired or was already saved. Please upload the file again.",
        )
    try:
        parsed = parse_upload(stashed.data, stashed.filename, stashed.format)
    except ReadingImportError as error:
        discard_upload(request.session, token)
        return ReplaceStep(upload_form=ReplaceUploadForm(), error=str(error))
    expected = request.session.get(EXPECTED_KEY, {}).get(token, {})
    # Threads may have been written since the preview: check the fates again first.
    again = preview_replacement(reading, parsed)
    changed = differences(expected, again)
    if changed:
        return _preview(request, reading, token, parsed, report=again, changed_since=changed)
    upload = Upload(stashed.data, stashed.filename, stashed.format)
    discard_upload(request.session, token)
    _forget_fates(request, token)
    if needs_background(reading, parsed):
        record = queue_replacement(reading, upload, user=request.user, expected=expected)
        messages.info(request, "The text is being replaced in the background: this page follows.")
    else:
        record, _ = replace_text(reading, parsed, upload, user=request.user, expected=expected)
        messages.success(request, f"Replaced the text of “{reading}”.")
    return redirect("admin:readings_textreplacement_change", record.pk)


def _preview(
    request: HttpRequest,
    reading: Reading,
    token: str,
    parsed,
    *,
    report=None,
    changed_since: list | None = None,
) -> ReplaceStep:
    report = report or preview_replacement(reading, parsed)
    fates = dict(request.session.get(EXPECTED_KEY, {}))
    fates[token] = report.fates()
    request.session[EXPECTED_KEY] = dict(list(fates.items())[-3:])
    return ReplaceStep(
        confirm_form=ReplaceConfirmForm(initial={"token": token}),
        report=report,
        changed_since=changed_since,
    )


def _forget_fates(request: HttpRequest, token: str) -> None:
    fates = dict(request.session.get(EXPECTED_KEY, {}))
    if fates.pop(token, None) is not None:
        request.session[EXPECTED_KEY] = fates
