"""Text that XML 1.0 can carry: it forbids most control characters (ESC, BEL...), which a
story or an editor may still put in a headline. Feeds and sitemaps drop them rather than
fail (a 500) or go malformed. Pure Python."""

import re

# Allowed: tab, newline, carriage return, and everything from U+0020 up, bar the surrogates
# and U+FFFE/U+FFFF (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """`value` without the characters XML 1.0 forbids; anything not a string as it is."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def xml_safe(value):
    """The same, through lists, tuples and dicts (a feed item's fields)."""
    if isinstance(value, dict):
        return {key: xml_safe(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(inner) for inner in value)
    return xml_text(value)
