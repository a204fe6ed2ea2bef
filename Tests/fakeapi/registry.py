"""Every resource the fake serves, by API group/version and plural."""

from fakeapi.events import CORE_EVENT, EVENT_V1
from fakeapi.disruption import PDB
from fakeapi.kinds import Kind
from fakeapi.leases import LEASE
from fakeapi.namespaces import NAMESPACE
from fakeapi.nodes import NODE
from fakeapi.pods import POD

KINDS: tuple[Kind, ...] = (NAMESPACE, NODE, POD, CORE_EVENT, EVENT_V1, LEASE, PDB)
GROUP_VERSIONS = {"": "v1", "events.k8s.io": "v1", "coordination.k8s.io": "v1", "policy": "v1"}
_BY_PATH = {(k.group, k.version, k.plural): k for k in KINDS}


def lookup(group: str, version: str, plural: str) -> Kind | None:
    return _BY_PATH.get((group, version, plural))


def kinds_of(group: str, version: str) -> list[Kind]:
    return [k for k in KINDS if k.group == group and k.version == version]


def by_kind_name(kind: str, api_version: str = "v1") -> Kind | None:
    """For seeding: the Kind of an object from its own kind/apiVersion."""
    for k in KINDS:
        if k.kind == kind and k.api_version == api_version:
            return k
    return None
