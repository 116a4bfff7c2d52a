"""Page sizes and resolutions of exported images, and how they turn into pixels."""

from __future__ import annotations

import re
from dataclasses import dataclass

MM_PER_INCH = 25.4
# Plotly lays a figure out in CSS pixels, 96 to the inch; an image at N DPI is that layout
# scaled by N / 96, so the type keeps its size in points whatever the resolution.
CSS_DPI = 96
DPIS = (150, 300, 600)
DEFAULT_DPI = 300
MIN_DPI, MAX_DPI = 72, 1200
MAX_PIXELS = 80 * 10**6  # A3 at 600 DPI is 70 million; 80 million RGBA pixels is 320 MB
MAX_SIDE_MM = 2000  # a custom size beyond 2 m is a typo, and would need gigabytes of pixels


class PageError(ValueError):
    """A page size or resolution that cannot be exported."""


@dataclass(frozen=True)
class Page:
    name: str
    width_mm: float
    height_mm: float

    def css_size(self) -> tuple[float, float]:
        """Width and height in CSS pixels, the unit Plotly lays the figure out in."""
        return (self.width_mm / MM_PER_INCH * CSS_DPI, self.height_mm / MM_PER_INCH * CSS_DPI)

    def pixels(self, dpi: int) -> tuple[int, int]:
        """Width and height of a raster image of this page at `dpi`."""
        return (round(self.width_mm / MM_PER_INCH * dpi), round(self.height_mm / MM_PER_INCH * dpi))


A4, A5 = (210, 297), (148, 210)
PAGES = {
    "a4-portrait": Page("a4-portrait", *A4),
    "a4-landscape": Page("a4-landscape", *reversed(A4)),
    "a5-portrait": Page("a5-portrait", *A5),
    "a5-landscape": Page("a5-landscape", *reversed(A5)),
    # PowerPoint's and Impress's widescreen slide: 13.333 × 7.5 inches.
    "slide-16x9": Page("slide-16x9", 338.667, 190.5),
}
DEFAULT_PAGE = "a4-landscape"
COUNTRY_PAGE = "a4-portrait"  # a country's one-pager
_CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in)?\s*$")
_UNIT_MM = {"mm": 1.0, "cm": 10.0, "in": MM_PER_INCH}


def parse_page(text: str) -> Page:
    """A named page (`a4-portrait`, `slide-16x9`…) or a custom size `WIDTHxHEIGHT[mm|cm|in]`
    (millimetres when no unit is given)."""
    if text in PAGES:
        return PAGES[text]
    found = _CUSTOM.match(text or "")
    if not found:
        raise PageError(f"unknown page size '{text}' (expected one of {', '.join(PAGES)}, "
                        "or a custom size such as 180x120mm, 18x12cm or 7x5in)")
    unit = _UNIT_MM[found.group(3) or "mm"]
    width, height = float(found.group(1)) * unit, float(found.group(2)) * unit
    return custom_page(width, height)


def custom_page(width_mm: float, height_mm: float) -> Page:
    for side, value in (("width", width_mm), ("height", height_mm)):
        if not 20 <= value <= MAX_SIDE_MM:
            raise PageError(f"custom {side} {value:g} mm is outside 20–{MAX_SIDE_MM} mm")
    return Page(f"{width_mm:g}x{height_mm:g}mm", width_mm, height_mm)


def check_resolution(page: Page, dpi: int) -> None:
    """Refuse resolutions no printer needs and images too big to render in memory."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise PageError(f"resolution {dpi} DPI is outside {MIN_DPI}–{MAX_DPI} DPI")
    width, height = page.pixels(dpi)
    if width * height > MAX_PIXELS:
        raise PageError(f"{page.name} at {dpi} DPI would be {width}×{height} pixels; "
                        f"lower the resolution or the size (at most {MAX_PIXELS // 10**6} "
                        "million pixels)")


def layout_size(page: Page, fmt: str, dpi: int) -> tuple[float, float, float]:
    """CSS width, height and scale to render `page` in `fmt`. A raster's pixel size must come
    out exactly as size × DPI: Chromium drops the fraction of width × scale, so the layout
    is sized a quarter pixel over the exact count."""
    if fmt != "png":
        return (*page.css_size(), 1.0)
    scale = dpi / CSS_DPI
    width, height = page.pixels(dpi)
    return (width + 0.25) / scale, (height + 0.25) / scale, scale
