"""Photo files as photo desks send them: rights written into the file as IPTC IIM (a JPEG's
Photoshop block), XMP and EXIF. Built byte by byte where Pillow can't write the block."""

import io
import struct

from PIL import Image

XMP_RIGHTS = """<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
  xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
  photoshop:Credit="{credit}">
<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{copyright}</rdf:li></rdf:Alt></dc:rights>
<dc:description><rdf:Alt>
  <rdf:li xml:lang="fr">Bateaux de pêche</rdf:li>
  <rdf:li xml:lang="x-default">{caption}</rdf:li>
</rdf:Alt></dc:description>
<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">{terms}</rdf:li></rdf:Alt>
</xmpRights:UsageTerms>
<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">{alt}</rdf:li>
</rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def xmp(
    credit="Reuters",
    creator="Jane Doe",
    copyright="© 2026 Reuters",
    caption="Fishing boats in Whitby harbour on Tuesday",
    terms="Editorial use only",
    alt="Fishing boats moored in a harbour",
) -> bytes:
    return XMP_RIGHTS.format(
        credit=credit, creator=creator, copyright=copyright, caption=caption, terms=terms, alt=alt
    ).encode()


def _iim(records: dict) -> bytes:
    data = b""
    for (record, dataset), value in records.items():
        raw = value.encode() if isinstance(value, str) else value
        data += b"\x1c" + bytes([record, dataset]) + struct.pack(">H", len(raw)) + raw
    return data


def _app13(records: dict) -> bytes:
    iim = _iim(records)
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    resource += iim + (b"\x00" if len(iim) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg(*, iim=None, xmp=None, exif=None, size=(1600, 900), color=(40, 90, 160)) -> bytes:
    """A real JPEG; `iim` maps (record, dataset) to text, `exif` tag numbers to text."""
    options = {}
    if xmp:
        options["xmp"] = xmp
    if exif:
        tags = Image.Exif()
        for tag, value in exif.items():
            tags[tag] = value
        options["exif"] = tags
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **options)
    data = buffer.getvalue()
    if iim:
        data = data[:2] + _app13(iim) + data[2:]  # right after the start-of-image marker
    return data


BY_LINE, CREDIT, COPYRIGHT, CAPTION = (2, 80), (2, 110), (2, 116), (2, 120)
EXIF_ARTIST, EXIF_COPYRIGHT, EXIF_DESCRIPTION = 0x013B, 0x8298, 0x010E
