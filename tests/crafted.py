"""Files crafted to hold far more than their size shows, built by the tests and the bench."""

from __future__ import annotations

import io
import zipfile


def shared_string_workbook(text: str, rows: int, columns: int) -> bytes:
    """A workbook whose every cell under the header refers to one shared string, as a
    spreadsheet writes a repeated text: the text is in the file once, however many cells
    show it."""
    def cells(row: int, values: str) -> str:
        return "".join(f'<c r="{_column(n)}{row}" t="s"><v>{values}</v></c>'
                       for n in range(columns))

    header = "".join(f'<c r="{_column(n)}1" t="inlineStr"><is><t>c{n}</t></is></c>'
                     for n in range(columns))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData><row r="1">{header}</row>'
             + "".join(f'<row r="{row}">{cells(row, "0")}</row>' for row in range(2, rows + 2))
             + "</sheetData></worksheet>")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{package}"><Relationship Id="r1" Type="'
                        f'{relations}/officeDocument" Target="xl/workbook.xml"/>'
                        '</Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets><sheet '
                            'name="Sheet1" sheetId="1" r:id="r1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="r1" Type="{relations}/'
            'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="r2" Type="'
            f'{relations}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>'
                                f'{text}</t></si></sst>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def _column(number: int) -> str:
    letters = ""
    number += 1
    while number:
        number, left = divmod(number - 1, 26)
        letters = chr(65 + left) + letters
    return letters
