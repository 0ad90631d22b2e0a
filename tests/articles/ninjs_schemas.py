"""IPTC ninjs 2.1 and 3.1 as JSON Schemas (draft 2020-12), written from the specification
(iptc/newsinjson: specification/ninjs-schema_2.1.json and ninjs-schema_3.1.json). The official
files cannot be fetched here and are not copied in; each version's property names are spelled
out below as the specification spells them, independently of the code under test.

Like the official schemas: `uri` is the only required property; nothing outside the schema is
allowed at the top level (`unevaluatedProperties: false`) or in any nested object; an
association is a whole ninjs object with a `name`.
"""

import jsonschema

STRING = {"type": "string"}
URI = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}


def _closed(properties: dict, required=()) -> dict:
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _schema(n: dict, *, version: str, number_type: str, urgency: dict) -> dict:
    """`n` maps each concept to the version's property name."""
    text = _closed({"role": STRING, n["contenttype"]: STRING, "value": STRING}, required=["value"])
    body = _closed(
        {
            "role": STRING,
            n["contenttype"]: STRING,
            n["charcount"]: {"type": number_type},
            n["wordcount"]: {"type": number_type},
            "value": STRING,
        },
        required=["value"],
    )
    rendition = _closed(
        {
            "name": STRING,
            "href": URI,
            n["contenttype"]: STRING,
            "title": STRING,
            "height": {"type": number_type},
            "width": {"type": number_type},
            n["sizeinbytes"]: {"type": number_type},
            "duration": {"type": "number"},
            "format": STRING,
        },
        required=["name"],
    )
    subject = _closed(
        {
            "name": STRING,
            "rel": STRING,
            "uri": URI,
            "literal": STRING,
            "creator": STRING,
            "relevance": {"type": "integer", "minimum": 0, "maximum": 100},
            "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
        }
    )
    named = _closed({"name": STRING, "rel": STRING, "uri": URI, "literal": STRING})
    association_extra = {"name": STRING}
    if version.startswith("3"):
        association_extra["rel"] = STRING
    properties = {
        "uri": URI,
        "type": {
            "enum": ["text", "audio", "video", "picture", "graphic", "composite", "component"]
            + (["event", "planning"] if version.startswith("3") else [])
        },
        n["representationtype"]: {"enum": ["full", "partial"]},
        "profile": STRING,
        "version": STRING,
        n["firstcreated"]: DATE_TIME,
        n["versioncreated"]: DATE_TIME,
        n["contentcreated"]: DATE_TIME,
        n["embargoed"]: DATE_TIME,
        n["pubstatus"]: {"enum": ["usable", "withheld", "canceled"]},
        "urgency": urgency,
        n["copyrightholder"]: STRING,
        n["copyrightnotice"]: STRING,
        n["usageterms"]: STRING,
        n["ednote"]: STRING,
        "language": STRING,
        "descriptions": _array(text),
        "bodies": _array(body),
        "headlines": _array(text),
        "people": _array(named),
        "organisations": _array(named),
        "places": _array(named),
        "subjects": _array(subject),
        "events": _array(named),
        "objects": _array(named),
        n["infosources"]: _array(named),
        "title": STRING,
        "by": STRING,
        "slugline": STRING,
        "located": STRING,
        "renditions": _array(rendition),
        "associations": _array(
            {
                "$ref": "#/$defs/ninjsType",
                "properties": association_extra,
                "required": ["name", "uri"],
                "unevaluatedProperties": False,
            }
        ),
        n["altids"]: _array(_closed({"role": STRING, "value": STRING})),
        n["trustindicators"]: _array(_closed({"role": URI, "title": STRING, "href": URI})),
        "standard": _closed({"name": STRING, "version": STRING, "schema": URI}),
        "genres": _array(_closed({"name": STRING, "uri": STRING, "literal": STRING})),
        "expires": DATE_TIME,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json#",
        "$defs": {"ninjsType": {"type": "object", "properties": properties}},
        "$ref": "#/$defs/ninjsType",
        "required": ["uri"],
        "unevaluatedProperties": False,
    }


NAMES_2_1 = {
    name: name
    for name in (
        "contenttype charcount wordcount sizeinbytes representationtype firstcreated "
        "versioncreated contentcreated embargoed pubstatus copyrightholder copyrightnotice "
        "usageterms ednote infosources altids trustindicators"
    ).split()
}
NAMES_3_1 = {
    "contenttype": "contentType",
    "charcount": "charCount",
    "wordcount": "wordCount",
    "sizeinbytes": "sizeInBytes",
    "representationtype": "representationType",
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "contentcreated": "contentCreated",
    "embargoed": "embargoedUntil",
    "pubstatus": "pubStatus",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "usageterms": "usageTerms",
    "ednote": "edNote",
    "infosources": "infoSources",
    "altids": "altIds",
    "trustindicators": "trustIndicators",
}

NINJS_2_1 = _schema(NAMES_2_1, version="2.1", number_type="number", urgency={"type": "number"})
NINJS_3_1 = _schema(
    NAMES_3_1,
    version="3.1",
    number_type="integer",
    urgency={"type": "integer", "minimum": 1, "maximum": 9},
)


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


VALIDATOR_2_1 = validator(NINJS_2_1)
VALIDATOR_3_1 = validator(NINJS_3_1)
