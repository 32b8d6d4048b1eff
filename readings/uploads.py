"""Upload → preview → confirm: the reusable flow behind every "add a reading" page.

The library's staff page and the admin's import page use it today; a circle's organizers will
use it later. A reading comes as a file or as a link (fetched in the request, within a short
timeout: `readings.fetch`); either way its bytes wait between the preview and the
confirmation (`PendingUpload`), so nothing needs uploading (or fetching) twice and no reading
is written until the person confirms. Each upload gets a random token that the confirm form
carries, and the person's session the list of their tokens: another session's token finds
nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from .fetch import fetch
from .importers import FORMATS, ParsedReading, ReadingImportError, parse_reading
from .importers.decode import too_large_message
from .models import PendingUpload, Reading
from .services import save_parsed_reading, summarize

SESSION_KEY = "readings.uploads"
# How many pending uploads one session keeps (several tabs may preview at once).
MAX_PENDING = 3

FORMAT_NAMES = {
    "text": "Plain text",
    "markdown": "Markdown",
    "epub": "EPUB",
    "html": "HTML (a book or document)",
    "article": "Web article (a saved page: the article alone)",
    "pdf": "PDF (with a text layer)",
}
FORMAT_CHOICES = [("", "Detect from the file")] + [
    (name, FORMAT_NAMES.get(name, name)) for name in FORMATS
]


def max_upload_bytes() -> int:
    return settings.READING_UPLOAD_MAX_BYTES


def parse_upload(
    data: bytes, filename: str = "", format: str | None = None, charset: str = ""
) -> ParsedReading:
    """Parse uploaded bytes exactly as every way in does (raises ReadingImportError)."""
    return parse_reading(
        data,
        filename=filename,
        format=format or None,
        max_bytes=max_upload_bytes(),
        charset=charset,
    )


@dataclass
class Upload:
    data: bytes
    filename: str
    format: str
    charset: str = ""  # named by the web server that sent it
    url: str = ""  # where it was fetched from

    def parse(self) -> ParsedReading:
        return parse_upload(self.data, self.filename, self.format, self.charset)


def stash_upload(session: SessionBase, upload: Upload, key: str = SESSION_KEY) -> str:
    """Keep `upload` until it is confirmed (at most `MAX_PENDING` a session for each flow,
    the oldest let go); returns its token. Another flow (importing annotations) keeps its
    uploads under its own `key`."""
    token = secrets.token_urlsafe(16)
    tokens = _tokens(session, key)
    kept, let_go = tokens[-(MAX_PENDING - 1) :], tokens[: -(MAX_PENDING - 1)]
    expired = timezone.now() - timedelta(hours=settings.PENDING_UPLOAD_HOURS)
    PendingUpload.objects.filter(token__in=let_go).delete()
    PendingUpload.objects.filter(created_at__lt=expired).delete()
    PendingUpload.objects.create(
        token=token,
        kind=key,
        data=upload.data,
        filename=upload.filename[:255],
        format=upload.format,
        charset=upload.charset[:40],
        url=upload.url,
    )
    session[key] = [*kept, token]
    return token


def load_upload(session: SessionBase, token: str, key: str = SESSION_KEY) -> Upload | None:
    """The upload `token` names, if this session kept it and it has not expired."""
    if token not in _tokens(session, key):
        return None
    expired = timezone.now() - timedelta(hours=settings.PENDING_UPLOAD_HOURS)
    stored = PendingUpload.objects.filter(token=token, kind=key, created_at__gte=expired).first()
    if stored is None:
        return None
    return Upload(bytes(stored.data), stored.filename, stored.format, stored.charset, stored.url)


def _tokens(session: SessionBase, key: str) -> list[str]:
    """This session's tokens for the flow `key` (a session from before the uploads left it
    holds them in another shape: nothing to keep)."""
    tokens = session.get(key, [])
    return tokens if isinstance(tokens, list) else []


def discard_upload(session: SessionBase, token: str, key: str = SESSION_KEY) -> None:
    tokens = _tokens(session, key)
    if token in tokens:
        session[key] = [kept for kept in tokens if kept != token]
        PendingUpload.objects.filter(token=token).delete()


class ReadingUploadForm(forms.Form):
    file = forms.FileField(
        label="Text file",
        required=False,
        help_text="Plain text, Markdown, HTML, EPUB or PDF. Chapters, quotations and notes are "
        "found in the text.",
    )
    url = forms.URLField(
        label="Or a link",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The address (http or https) of a web article, a book's page or a file.",
    )
    title = forms.CharField(
        max_length=300, required=False, help_text="Leave empty to use the title in the file."
    )
    author = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to use the author in the file."
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False)

    parsed: ParsedReading
    upload: Upload

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if uploaded is not None and uploaded.size > limit:
            raise forms.ValidationError(too_large_message(uploaded.size, limit))
        return uploaded

    def clean(self) -> dict:
        cleaned = super().clean()
        uploaded, url = cleaned.get("file"), cleaned.get("url")
        if self.errors:
            return cleaned
        if uploaded is not None and url:
            raise forms.ValidationError("Choose a file or give a link, not both.")
        if uploaded is None and not url:
            raise forms.ValidationError("Choose a file to upload, or give a link to one.")
        format = cleaned.get("format") or ""
        field = "file" if uploaded is not None else "url"
        try:
            if uploaded is not None:
                upload = Upload(uploaded.read(), uploaded.name or "", format)
            else:
                got = fetch(url, max_bytes=max_upload_bytes())
                upload = Upload(got.data, got.filename, format, got.charset, got.url)
            self.parsed = upload.parse()
        except ReadingImportError as error:
            self.add_error(field, str(error))
            return cleaned
        self.upload = upload
        return cleaned


class ReadingConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=300)
    author = forms.CharField(max_length=200, required=False)
    source_note = forms.CharField(
        label="Source",
        max_length=Reading._meta.get_field("source_note").max_length,
        required=False,
        help_text="Where the text comes from (an edition, a web page, a magazine).",
    )
    licence = forms.CharField(
        max_length=Reading._meta.get_field("licence").max_length,
        required=False,
        help_text="Public domain, a Creative Commons licence, or whatever permits sharing it.",
    )

    def __init__(self, *args, session: SessionBase, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session = session

    def clean_source_note(self) -> str:
        return " ".join(self.cleaned_data["source_note"].split())

    def clean_licence(self) -> str:
        return " ".join(self.cleaned_data["licence"].split())

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        self.upload = load_upload(self.session, token)
        if self.upload is None:
            raise forms.ValidationError(
                "This upload has expired or was already saved. Please upload the file again."
            )
        return token


@dataclass
class ImportStep:
    """Where a person is in the flow: uploading, previewing, or done (`reading` is set)."""

    upload_form: ReadingUploadForm | None = None
    confirm_form: ReadingConfirmForm | None = None
    summary: dict = field(default_factory=dict)
    reading: Reading | None = None
    error: str = ""
    # The file names no title: what the file name would give, shown while asking for one.
    title_guess: str = ""

    @property
    def previewing(self) -> bool:
        return self.confirm_form is not None


def run_import_flow(request: HttpRequest, *, created_by=None) -> ImportStep:
    """One step of upload → preview → confirm for this request.

    GET shows the upload form; a POST with a file (or a link, fetched) parses it and, if it
    reads, stashes the bytes and returns a preview (the summary and a confirm form with the
    title, author, source and licence found in the file, to correct or fill in; a title the
    file does not name is asked for); a POST with a token parses the stashed bytes again and
    saves the reading.
    """
    if request.method != "POST":
        return ImportStep(upload_form=ReadingUploadForm())
    if "token" in request.POST:
        confirm = ReadingConfirmForm(request.POST, session=request.session)
        if not confirm.is_valid():
            if "token" in confirm.errors:
                return ImportStep(upload_form=ReadingUploadForm(), error=confirm.errors["token"][0])
            upload = load_upload(request.session, request.POST["token"])
            return _preview(confirm, upload.parse())
        upload = confirm.upload
        try:
            parsed = upload.parse()
        except ReadingImportError as error:
            discard_upload(request.session, confirm.cleaned_data["token"])
            return ImportStep(upload_form=ReadingUploadForm(), error=str(error))
        reading = save_parsed_reading(
            parsed,
            title=confirm.cleaned_data["title"],
            author=confirm.cleaned_data["author"],
            source_note=confirm.cleaned_data["source_note"],
            licence=confirm.cleaned_data["licence"],
            created_by=created_by,
        )
        discard_upload(request.session, confirm.cleaned_data["token"])
        return ImportStep(reading=reading)

    form = ReadingUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return ImportStep(upload_form=form)
    token = stash_upload(request.session, form.upload)
    parsed = form.parsed
    # A title made from the file name is not offered: the preview asks for the real one.
    found_title = "" if parsed.title_from_file_name else parsed.title
    confirm = ReadingConfirmForm(
        initial={
            "token": token,
            "title": form.cleaned_data["title"] or found_title,
            "author": form.cleaned_data["author"] or parsed.author,
            "source_note": parsed.source_note or form.upload.url,
            "licence": parsed.licence,
        },
        session=request.session,
    )
    return _preview(confirm, parsed)


def _preview(confirm: ReadingConfirmForm, parsed: ParsedReading) -> ImportStep:
    guess = parsed.title if parsed.title_from_file_name else ""
    return ImportStep(confirm_form=confirm, summary=summarize(parsed), title_guess=guess)
