"""What the fake knows about each resource: names for discovery, field selectors, table columns, and the
hooks where one kind differs from another (validation, defaults, graceful deletion, conversion)."""

from dataclasses import dataclass, field
from typing import Callable

from fakeapi.errors import FieldError


def _none(*_args) -> list:
    return []


def _identity(obj: dict) -> dict:
    return obj


def meta_field(name: str) -> Callable[[dict], str]:
    return lambda obj: str(obj.get("metadata", {}).get(name) or "")


@dataclass(frozen=True)
class Column:
    """A meta.k8s.io/v1 TableColumnDefinition; priority 1 columns show only with -o wide."""

    name: str
    type: str = "string"
    format: str = ""
    description: str = ""
    priority: int = 0

    def definition(self) -> dict:
        return {"name": self.name, "type": self.type, "format": self.format, "description": self.description, "priority": self.priority}


@dataclass(frozen=True)
class Kind:
    plural: str
    singular: str
    kind: str
    namespaced: bool
    group: str = ""
    version: str = "v1"
    area: str = ""  # storage area; two API versions of one resource (events) share one
    short_names: tuple = ()
    categories: tuple = ()
    verbs: tuple = ("create", "delete", "get", "list", "patch")
    fields: dict = field(default_factory=dict)  # field selector name -> getter
    columns: tuple = ()
    row: Callable[[dict, float], list] | None = None  # (object, now) -> cells
    # The API server's decoding of a body into the Go type (create, update, the result of a patch): raises
    # errors.DecodeError with the decoder's words, normalizes what the server re-serializes (e.g. MicroTimes).
    decode: Callable[[dict], None] | None = None
    # The strategy's PrepareForCreate (old None) / PrepareForUpdate, before validation: (new, old) -> None.
    prepare_for_write: Callable[[dict, dict | None], None] | None = None
    validate: Callable[[dict], list[FieldError]] = _none  # create-time checks
    validate_update: Callable[[dict, dict], list[FieldError]] = _none  # (old, new) checks on PATCH and PUT
    prepare: Callable | None = None  # (object, cluster) -> None: defaults and binding at create
    to_view: Callable[[dict], dict] = _identity  # storage form -> this API version's form
    from_view: Callable[[dict], dict] = _identity  # this API version's form -> storage form
    grace_seconds: Callable[[dict, dict], int] | None = None  # (object, DeleteOptions) -> seconds; None: at once
    returns_deleted_object: bool = False  # pods answer DELETE with the object, most kinds with a Status
    has_status: bool = False  # a status subresource: the main resource ignores status changes
    # PUT (update): only kinds whose verbs include "update". The strategy's two answers to a PUT (apiserver
    # registry/generic Store.Update): may it create a missing object, may it overwrite without a resourceVersion.
    allow_create_on_update: bool = False
    allow_unconditional_update: bool = True

    @property
    def is_converted(self) -> bool:
        """True when this API version's form differs from the stored one (events.k8s.io)."""
        return self.to_view is not _identity

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @property
    def storage(self) -> str:
        return self.area or self.plural

    def key(self, namespace: str | None, name: str) -> str:
        return f"{namespace}/{name}" if self.namespaced else name

    def prefix(self, namespace: str | None) -> str:
        return f"{namespace}/" if self.namespaced and namespace else ""
