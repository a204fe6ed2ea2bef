"""Which representation a GET asks for in its Accept header.

kubectl asks `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,
application/json` for human output (server-side printing); garbage collectors ask for PartialObjectMetadata.
The first media range the fake can serve wins; a header with none is a 406 like the real server's.
"""

from dataclasses import dataclass

from fakeapi.errors import not_acceptable


@dataclass(frozen=True)
class Representation:
    form: str  # "json", "table" or "partial"
    api_version: str = ""  # meta.k8s.io/v1 or meta.k8s.io/v1beta1 for table and partial


JSON = Representation("json")


def choose(accept: str | None) -> Representation:
    if not accept or not accept.strip():
        return JSON
    for media_range in accept.split(","):
        parts = [p.strip() for p in media_range.split(";")]
        media = parts[0].lower()
        params = {}
        for p in parts[1:]:
            name, _, value = p.partition("=")
            params[name.strip().lower()] = value.strip()
        if media not in ("application/json", "application/*", "*/*"):
            continue
        as_kind = params.get("as")
        if not as_kind:
            return JSON
        if params.get("g") != "meta.k8s.io" or params.get("v") not in ("v1", "v1beta1"):
            continue
        api_version = "meta.k8s.io/" + params["v"]
        if as_kind == "Table":
            return Representation("table", api_version)
        if as_kind in ("PartialObjectMetadata", "PartialObjectMetadataList"):
            return Representation("partial", api_version)
    raise not_acceptable(accept)
