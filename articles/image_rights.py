"""Credit, copyright and caption embedded in photo files, read once on upload.

Photo desks and agencies send pictures with their rights written into the file: IPTC IIM (the
"Photoshop" block of a JPEG), XMP (the same IPTC fields as RDF) and, from cameras, EXIF.
Following the Metadata Working Group's guidance, XMP wins over IIM, and EXIF fills only what
neither has. Field names are the IPTC Photo Metadata Standard's:

| IPTC field | XMP | IIM | EXIF |
| --- | --- | --- | --- |
| Creator | dc:creator | 2:80 By-line | Artist |
| Credit Line | photoshop:Credit | 2:110 Credit | |
| Copyright Notice | dc:rights | 2:116 | Copyright |
| Description (caption) | dc:description | 2:120 Caption/Abstract | ImageDescription |
| Rights Usage Terms | xmpRights:UsageTerms | | |
| Alt Text (Accessibility) | Iptc4xmpCore:AltTextAccessibility | | |

Pure: Pillow and defusedxml only, no Django. A file whose metadata is broken yields what could
be read and never an error: an upload must not fail over its metadata.
"""

from dataclasses import dataclass, fields, replace

from defusedxml import ElementTree
from PIL import Image, IptcImagePlugin

# The longest text kept per field: the model's column sizes.
MAX_LENGTHS = {
    "creator": 255,
    "credit_line": 255,
    "copyright_notice": 255,
    "caption": 500,
    "usage_terms": 1000,
    "alt_text": 255,
}

# What cameras write into EXIF ImageDescription when nobody typed a caption.
CAMERA_PLACEHOLDERS = {
    "",
    "olympus digital camera",
    "sony dsc",
    "default",
    "digital camera",
    "samsung digital camera",
    "kodak digital still camera",
    "minolta digital camera",
    "exif_jpeg_picture",
}

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

IIM_FIELDS = {
    "creator": (2, 80),
    "credit_line": (2, 110),
    "copyright_notice": (2, 116),
    "caption": (2, 120),
}

EXIF_ARTIST, EXIF_COPYRIGHT, EXIF_DESCRIPTION = 0x013B, 0x8298, 0x010E


@dataclass(frozen=True)
class EmbeddedRights:
    creator: str = ""
    credit_line: str = ""
    copyright_notice: str = ""
    caption: str = ""
    usage_terms: str = ""
    alt_text: str = ""

    @property
    def credit(self) -> str:
        """The credit a slot prints: "Photographer / Agency" when the file names both, as
        news pictures are credited; otherwise whichever it names."""
        creator, line = self.creator, self.credit_line
        if creator and line and creator.casefold() not in line.casefold():
            return f"{creator} / {line}"[: MAX_LENGTHS["credit_line"]]
        return line or creator

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def filled_from(self, other: "EmbeddedRights") -> "EmbeddedRights":
        """These rights, with the fields left empty taken from `other`."""
        return replace(
            self,
            **{f.name: getattr(other, f.name) for f in fields(self) if not getattr(self, f.name)},
        )


def read_embedded_rights(fileobj) -> EmbeddedRights:
    """The rights written into the image file `fileobj` (a path or a binary file)."""
    try:
        with Image.open(fileobj) as image:
            return (
                _clean(_from_xmp(_xmp_packet(image)))
                .filled_from(_clean(_from_iim(image)))
                .filled_from(_clean(_from_exif(image)))
            )
    except Exception:  # noqa: BLE001 - an unreadable file has no rights to read, not an error
        return EmbeddedRights()


def _clean(rights: EmbeddedRights) -> EmbeddedRights:
    def tidy(name, text):
        text = " ".join((text or "").replace("\x00", " ").split())
        return text[: MAX_LENGTHS[name]]

    return EmbeddedRights(**{f.name: tidy(f.name, getattr(rights, f.name)) for f in fields(rights)})


def _xmp_packet(image) -> bytes:
    info = image.info
    packet = info.get("xmp") or info.get("XML:com.adobe.xmp") or b""
    return packet.encode() if isinstance(packet, str) else packet


def _from_xmp(packet: bytes) -> EmbeddedRights:
    if not packet:
        return EmbeddedRights()
    try:
        root = ElementTree.fromstring(packet.strip(b"\x00 \r\n\t"))
    except Exception:  # noqa: BLE001 - defusedxml refuses entities; a broken packet is no packet
        return EmbeddedRights()
    descriptions = root.findall(".//rdf:Description", NS)

    def value(prefix, name):
        tag = f"{{{NS[prefix]}}}{name}"
        for description in descriptions:
            if tag in description.attrib:  # the short form: <rdf:Description photoshop:Credit="">
                return description.attrib[tag]
            element = description.find(f"{prefix}:{name}", NS)
            if element is not None:
                return _rdf_text(element)
        return ""

    return EmbeddedRights(
        creator=value("dc", "creator"),
        credit_line=value("photoshop", "Credit"),
        copyright_notice=value("dc", "rights"),
        caption=value("dc", "description"),
        usage_terms=value("xmpRights", "UsageTerms"),
        alt_text=value("Iptc4xmpCore", "AltTextAccessibility"),
    )


def _rdf_text(element) -> str:
    """The text of a simple property, a language alternative (the x-default entry, else the
    first) or a list (its entries joined, as for several creators)."""
    items = element.findall("./*/rdf:li", NS)
    if not items:
        return element.text or ""
    container = element[0].tag.rsplit("}", 1)[-1]
    if container == "Alt":
        lang = f"{{{NS['xml']}}}lang"
        default = [li for li in items if li.get(lang) == "x-default"]
        return (default or items)[0].text or ""
    return ", ".join(li.text for li in items if li.text)


def _from_iim(image) -> EmbeddedRights:
    info = IptcImagePlugin.getiptcinfo(image) or {}

    def text(key):
        raw = info.get(key)
        if raw is None:
            return ""
        parts = raw if isinstance(raw, list) else [raw]
        return ", ".join(_decode(part) for part in parts)

    return EmbeddedRights(**{name: text(key) for name, key in IIM_FIELDS.items()})


def _decode(raw: bytes) -> str:
    # Whatever charset a file declares (often none, often wrongly), its text is UTF-8 or,
    # from older software, Latin-1, the IIM default, which decodes anything.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _from_exif(image) -> EmbeddedRights:
    exif = image.getexif()

    def text(tag):
        raw = exif.get(tag) or ""
        if isinstance(raw, bytes):
            raw = _decode(raw)
        return str(raw)

    description = text(EXIF_DESCRIPTION)
    if description.strip().casefold() in CAMERA_PLACEHOLDERS:
        description = ""
    return EmbeddedRights(
        creator=text(EXIF_ARTIST),
        copyright_notice=text(EXIF_COPYRIGHT),
        caption=description,
    )
