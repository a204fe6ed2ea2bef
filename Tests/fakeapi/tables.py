"""meta.k8s.io Table and PartialObjectMetadata answers (server-side printing for kubectl)."""

import time

from fakeapi.kinds import Column, Kind
from fakeapi.nodes import AGE_DESCRIPTION, NAME_DESCRIPTION, age

_DEFAULT_COLUMNS = (Column("Name", format="name", description=NAME_DESCRIPTION), Column("Age", description=AGE_DESCRIPTION))


def _default_row(obj: dict, now: float) -> list:
    return [obj["metadata"]["name"], age(obj, now)]


def partial(obj: dict, api_version: str) -> dict:
    return {"kind": "PartialObjectMetadata", "apiVersion": api_version, "metadata": obj.get("metadata", {})}


def table(kind: Kind, objects: list[dict], list_meta: dict, api_version: str, include_object: str | None) -> dict:
    """A Table of `objects` (already in this API version's form, without kind/apiVersion).

    includeObject is Metadata unless asked otherwise, as on the real server: each row then carries a
    PartialObjectMetadata, which kubectl uses for --show-labels and names."""
    now = time.time()
    columns = kind.columns or _DEFAULT_COLUMNS
    row_of = kind.row or _default_row
    rows = []
    for obj in objects:
        row = {"cells": row_of(obj, now)}
        if include_object == "Object":
            row["object"] = {"kind": kind.kind, "apiVersion": kind.api_version, **obj}
        elif include_object != "None":
            row["object"] = partial(obj, api_version)
        rows.append(row)
    return {"kind": "Table", "apiVersion": api_version, "metadata": list_meta, "columnDefinitions": [c.definition() for c in columns], "rows": rows}


def partial_list(objects: list[dict], list_meta: dict, api_version: str) -> dict:
    return {"kind": "PartialObjectMetadataList", "apiVersion": api_version, "metadata": list_meta, "items": [partial(o, api_version) for o in objects]}
