"""A document for the source library: its text, extracted with a kept library in a bounded
child (presence.bounded: a crafted PDF or DOCX cannot pin the server or take its memory),
and what the library records of it.

PDF: pypdf. DOCX: python-docx. HTML: lxml's HTML parser (scripts and styles dropped).
Plain text: UTF-8. The text is what quotes are found in (presence.quotes.normalise).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from presence.bounded import run_bounded
from presence.errors import DataError, Problem

# A library document's file and text: a long report fits; a file past them is refused.
MAX_DOCUMENT_BYTES = 30 * 1024 * 1024
MAX_TEXT_CHARS = 5_000_000
KINDS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".txt": "text",
         ".md": "text"}
EXTRACT_SECONDS = 60


def kind_of(name: str, data: bytes) -> str:
    """The kind of a document, by its name, checked against its first bytes."""
    kind = KINDS.get(Path(name).suffix.lower())
    if kind is None:
        raise DataError([Problem(name, "file", "-", f"not a document the library reads "
                                 f"(expected: {', '.join(sorted(KINDS))})")])
    if kind == "pdf" and not data.lstrip()[:5] == b"%PDF-":
        raise DataError([Problem(name, "file", "-", "not a PDF (it does not start with %PDF-)")])
    if kind == "docx" and not data[:4] == b"PK\x03\x04":
        raise DataError([Problem(name, "file", "-", "not a DOCX (it is not a ZIP archive)")])
    return kind


def extract_text(data: bytes, name: str) -> str:
    """The document's text, read in a bounded child; DataError naming the file if it cannot
    be read, is too big, or holds no text."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DataError([Problem(name, "file", "-", f"{len(data) / 2**20:,.1f} MB: the library "
                                 f"takes documents up to {MAX_DOCUMENT_BYTES // 2**20} MB")])
    kind = kind_of(name, data)
    text = run_bounded("presence.store.documents:_extract", data, {"kind": kind}, name,
                       seconds=EXTRACT_SECONDS, answer_bytes=4 * MAX_TEXT_CHARS + 1024,
                       lane="add")
    if not isinstance(text, str) or len(text.strip()) < 20:
        raise DataError([Problem(name, "file", "-", "holds no text to quote (a scanned PDF "
                                 "needs its text first)")])
    return text


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _extract(data: bytes, request: dict) -> str:
    """In the child: the text of the document's bytes."""
    import io

    kind = request["kind"]
    if kind == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    elif kind == "docx":
        from docx import Document

        document = Document(io.BytesIO(data))
        text = "\n\n".join(paragraph.text for paragraph in document.paragraphs)
    elif kind == "html":
        from lxml import html

        tree = html.fromstring(data)
        for element in tree.xpath("//script|//style"):
            element.drop_tree()
        text = tree.text_content()
    else:
        text = data.decode("utf-8-sig")
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"more than {MAX_TEXT_CHARS:,} characters of text")
    return text
