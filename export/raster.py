"""A PNG of an exported PDF page, rasterised by pdfium (pypdfium2).

The atlas draws each view once, as its vector PDF page, and makes the view's PNG from that
page, rather than asking Chromium to draw the same view a second time.
"""

from __future__ import annotations

import io
import threading

import pypdfium2
from PIL import Image

from export.page import Page
from export.renderer import with_png_resolution

# pdfium keeps global state and is not thread-safe: one page at a time in a process.
_PDFIUM = threading.Lock()
WHITE = (255, 255, 255)


def png_of_pdf_page(pdf: bytes, page: Page, dpi: int) -> bytes:
    """The first page of `pdf` as a PNG of exactly page.pixels(dpi), stating its DPI, as
    the exporter's own PNG of the same view is."""
    width, height = page.pixels(dpi)
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            first = document[0]
            points_wide, points_high = first.get_size()
            # The page fills the image: the scale of whichever side needs more, the other
            # side's fraction of a pixel cut below.
            scale = max(width / points_wide, height / points_high)
            image = first.render(scale=scale, fill_color=(*WHITE, 255)).to_pil()
        finally:
            document.close()
    image = image.convert("RGB")
    if image.size != (width, height):  # pdfium rounds a side by a pixel at most
        sized = Image.new("RGB", (width, height), WHITE)
        sized.paste(image)  # what overhangs is cut, what is missing stays white
        image = sized
    out = io.BytesIO()
    image.save(out, "PNG")
    return with_png_resolution(out.getvalue(), dpi)
