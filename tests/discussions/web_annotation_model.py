"""The Web Annotation Data Model's MUST requirements (W3C Recommendation, 23 February 2017,
https://www.w3.org/TR/annotation-model/), as JSON Schemas checked with `jsonschema` and a
format checker, for every annotation, collection and page the app emits.

Written from the Recommendation's text, section by section (the numbers below are its
sections). The W3C's own test files (web-annotation-tests) are not vendored: the only copy
reachable from this project's machines is a reference index whose content may not be
committed, and CI reaches no other source; these schemas hold the same MUSTs for the parts of
the model the app uses.
"""

from __future__ import annotations

from datetime import datetime

from jsonschema import Draft7Validator, FormatChecker

ANNO = "http://www.w3.org/ns/anno.jsonld"
LDP = "http://www.w3.org/ns/ldp.jsonld"
DATETIME = {"type": "string", "format": "date-time", "pattern": r"(Z|[+-]\d\d:\d\d)$"}
IRI = {"type": "string", "format": "iri"}

# 4.2.1 Text Quote Selector, 4.2.4 Text Position Selector, 4.2.2 Fragment Selector,
# 4.2.3 CSS Selector; 4.2.9 refinement of a selector.
SELECTOR = {
    "oneOf": [
        {
            "type": "object",
            "required": ["type", "exact"],
            "properties": {
                "type": {"const": "TextQuoteSelector"},
                "exact": {"type": "string", "minLength": 1},
                "prefix": {"type": "string"},
                "suffix": {"type": "string"},
                "refinedBy": {"$ref": "#/definitions/selectors"},
            },
        },
        {
            "type": "object",
            "required": ["type", "start", "end"],
            "properties": {
                "type": {"const": "TextPositionSelector"},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0},
                "refinedBy": {"$ref": "#/definitions/selectors"},
            },
        },
        {
            "type": "object",
            "required": ["type", "value"],
            "properties": {
                "type": {"const": "FragmentSelector"},
                "value": {"type": "string", "minLength": 1},
                "conformsTo": IRI,
                "refinedBy": {"$ref": "#/definitions/selectors"},
            },
        },
        {
            "type": "object",
            "required": ["type", "value"],
            "properties": {
                "type": {"const": "CssSelector"},
                "value": {"type": "string", "minLength": 1},
                "refinedBy": {"$ref": "#/definitions/selectors"},
            },
        },
    ]
}

ANNOTATION = {
    "definitions": {
        "selectors": {"oneOf": [SELECTOR, {"type": "array", "minItems": 1, "items": SELECTOR}]},
        # 3.2.4 Textual Body: a value; at most one format and one language.
        "textualBody": {
            "type": "object",
            "required": ["type", "value"],
            "properties": {
                "type": {"const": "TextualBody"},
                "value": {"type": "string"},
                "format": {"type": "string", "pattern": r"^[a-z]+/[-+.a-z0-9]+$"},
            },
        },
        # 4 Specific Resources: exactly one source, and selectors.
        "specificResource": {
            "type": "object",
            "required": ["source"],
            "properties": {"source": IRI, "selector": {"$ref": "#/definitions/selectors"}},
        },
        "target": {"oneOf": [IRI, {"$ref": "#/definitions/specificResource"}]},
        # 3.3.2 Agents.
        "agent": {
            "type": "object",
            "properties": {
                "type": {"enum": ["Person", "Organization", "Software"]},
                "name": {"type": "string", "minLength": 1},
            },
        },
    },
    # 3.1 Annotations: @context with the model's first; one IRI id; type Annotation; a target.
    "type": "object",
    "required": ["id", "type", "target"],
    "properties": {
        "@context": {
            "oneOf": [
                {"const": ANNO},
                {"type": "array", "minItems": 1, "items": [{"const": ANNO}]},
            ]
        },
        "id": IRI,
        "type": {"const": "Annotation"},
        # 3.2 Bodies; 3.2.5 bodyValue and body never together.
        "body": {
            "oneOf": [
                {"$ref": "#/definitions/textualBody"},
                {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/textualBody"}},
            ]
        },
        "target": {
            "oneOf": [
                {"$ref": "#/definitions/target"},
                {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/target"}},
            ]
        },
        # 3.3.1 Lifecycle: xsd:dateTime with a timezone.
        "created": DATETIME,
        "modified": DATETIME,
        "creator": {"$ref": "#/definitions/agent"},
        # 3.3.5 Motivation and Purpose: one of the model's motivations.
        "motivation": {
            "enum": [
                "assessing",
                "bookmarking",
                "classifying",
                "commenting",
                "describing",
                "editing",
                "highlighting",
                "identifying",
                "linking",
                "moderating",
                "questioning",
                "replying",
                "tagging",
            ]  # fmt: skip
        },
    },
    "not": {"required": ["body", "bodyValue"]},
}

CONTAINER_CONTEXT = {
    "type": "array",
    "minItems": 1,
    "items": [{"const": ANNO}],
    "contains": {"const": LDP},
}

# 5.1 Annotation Collection: an IRI, the type, and (when not empty) its first page.
COLLECTION = {
    "type": "object",
    "required": ["@context", "id", "type", "total"],
    "properties": {
        "@context": CONTAINER_CONTEXT,
        "id": IRI,
        "type": {"const": "AnnotationCollection"},
        "label": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "first": IRI,
        "last": IRI,
    },
}

# 5.2 Annotation Page: an IRI, the type, the annotations as items, the collection it is part of.
PAGE = {
    "type": "object",
    "required": ["@context", "id", "type", "items"],
    "properties": {
        "@context": CONTAINER_CONTEXT,
        "id": IRI,
        "type": {"const": "AnnotationPage"},
        "partOf": {"oneOf": [IRI, {"type": "object", "required": ["id"]}]},
        "startIndex": {"type": "integer", "minimum": 0},
        "next": IRI,
        "prev": IRI,
        "items": {"type": "array", "items": {"$ref": "#/definitions/annotation"}},
    },
    "definitions": {"annotation": {**ANNOTATION, "definitions": None}},
}
PAGE["definitions"] = {**ANNOTATION["definitions"], "annotation": ANNOTATION}


def _iri(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type check says so
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


CHECKER = FormatChecker()
CHECKER.checks("iri")(_iri)
CHECKER.checks("date-time")(_datetime)


def problems(schema: dict, document: object) -> list[str]:
    """What in `document` breaks the model's MUSTs (empty when it conforms)."""
    validator = Draft7Validator(schema, format_checker=CHECKER)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]
