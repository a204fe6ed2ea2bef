"""Label and field selectors, as the API server parses them from `labelSelector` / `fieldSelector`.

Label selector grammar (k8s.io/apimachinery/pkg/labels): comma-separated requirements, each one of
`key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key` (exists), `!key`
(does not exist), `key>n`, `key<n`. `!=` and `notin` also match objects that lack the key, as in Kubernetes.
Field selectors (k8s.io/apimachinery/pkg/fields) only know `=`, `==`, `!=`, with `\\` escapes, and each
resource supports its own set of field names; any other name is a 400.
"""

import re
from dataclasses import dataclass
from typing import Callable

from fakeapi.errors import bad_request
from fakeapi.validation import label_value_problems, qualified_name_problems

_SET_TERM = re.compile(r"^(?P<key>[^\s()!=<>,]+)\s+(?P<op>in|notin)\s*\((?P<values>[^()]*)\)$")


@dataclass(frozen=True)
class Requirement:
    key: str
    op: str  # "=", "!=", "in", "notin", "exists", "!", "gt", "lt"
    values: tuple = ()

    def matches(self, labels: dict) -> bool:
        present = self.key in labels
        value = labels.get(self.key)
        if self.op in ("=", "in"):
            return present and value in self.values
        if self.op in ("!=", "notin"):
            return not present or value not in self.values
        if self.op == "exists":
            return present
        if self.op == "!":
            return not present
        try:
            number = int(value) if present else None
        except ValueError:
            return False
        if number is None:
            return False
        return number > int(self.values[0]) if self.op == "gt" else number < int(self.values[0])


@dataclass(frozen=True)
class LabelSelector:
    requirements: tuple

    def matches(self, labels: dict | None) -> bool:
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    @property
    def is_empty(self) -> bool:
        return not self.requirements


def _split_top_level(text: str) -> list[str]:
    """Commas separate requirements except inside the parentheses of a set."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _check_key(key: str, whole: str) -> None:
    problems = qualified_name_problems(key)
    if problems:
        raise bad_request(f"unable to parse requirement: key: Invalid value: \"{key}\": {problems[0]} (in \"{whole}\")")


def _check_value(value: str, whole: str) -> None:
    problems = label_value_problems(value)
    if problems:
        raise bad_request(f"unable to parse requirement: values[0]: Invalid value: \"{value}\": {problems[0]} (in \"{whole}\")")


def _parse_requirement(term: str, whole: str) -> Requirement:
    term = term.strip()
    if not term:
        raise bad_request(f'unable to parse requirement: found \'\', expected: identifier (in "{whole}")')
    m = _SET_TERM.match(term)
    if m:
        key = m.group("key")
        values = tuple(v.strip() for v in m.group("values").split(",")) if m.group("values").strip() else ()
        _check_key(key, whole)
        for v in values:
            _check_value(v, whole)
        if not values:
            raise bad_request(f'unable to parse requirement: for \'in\', \'notin\' operators, values set can\'t be empty (in "{whole}")')
        return Requirement(key, m.group("op"), values)
    if term.startswith("!"):
        key = term[1:].strip()
        _check_key(key, whole)
        return Requirement(key, "!")
    for token, op in (("!=", "!="), ("==", "="), ("=", "="), (">", "gt"), ("<", "lt")):
        if token in term:
            key, _, value = term.partition(token)
            key, value = key.strip(), value.strip()
            _check_key(key, whole)
            if op in ("gt", "lt"):
                if not re.fullmatch(r"-?\d+", value):
                    raise bad_request(f'unable to parse requirement: for \'Gt\', \'Lt\' operators, the value must be an integer (in "{whole}")')
            else:
                _check_value(value, whole)
            return Requirement(key, op, (value,))
    if re.search(r"\s", term):
        raise bad_request(f'unable to parse requirement: found \'{term.split()[1]}\', expected: \'=\', \'!=\', \'==\', \'in\', notin\' (in "{whole}")')
    _check_key(term, whole)
    return Requirement(term, "exists")


def parse_label_selector(text: str | None) -> LabelSelector:
    if text is None or not text.strip():
        return LabelSelector(())
    return LabelSelector(tuple(_parse_requirement(t, text) for t in _split_top_level(text)))


@dataclass(frozen=True)
class FieldSelector:
    terms: tuple  # (field, op, value) with op "=" or "!="

    def matches(self, obj: dict, fields: dict[str, Callable[[dict], str]]) -> bool:
        for name, op, value in self.terms:
            actual = fields[name](obj)
            if (actual == value) != (op == "="):
                return False
        return True

    @property
    def is_empty(self) -> bool:
        return not self.terms


def _split_escaped(text: str, sep: str) -> list[str]:
    """Split on `sep` not preceded by a backslash escape; the escapes stay for _unescape."""
    parts, current, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            if text[i + 1] not in "\\,=!":
                raise bad_request(f"invalid field selector: invalid escape sequence: \\{text[i + 1]}")
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def parse_field_selector(text: str | None, supported: dict[str, Callable[[dict], str]]) -> FieldSelector:
    if text is None or not text.strip():
        return FieldSelector(())
    terms = []
    for raw in _split_escaped(text, ","):
        if not raw:
            continue
        for token, op in (("!=", "!="), ("==", "="), ("=", "=")):
            idx = _find_unescaped(raw, token)
            if idx >= 0:
                name, value = raw[:idx].strip(), _unescape(raw[idx + len(token) :])
                break
        else:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{raw}'")
        if name not in supported:
            raise bad_request(f'"{name}" is not a known field selector: only "{", ".join(sorted(supported))}"')
        terms.append((name, op, value))
    return FieldSelector(tuple(terms))


def _find_unescaped(text: str, token: str) -> int:
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1
