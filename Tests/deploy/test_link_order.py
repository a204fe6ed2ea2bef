"""The release link's inputs (Sources/vigilante/Link): the list of hot sections scripts/gen-link-order.sh writes,
and how it picks one name per section from the linker's map."""

from __future__ import annotations

import sys

from chart_support import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts" / "linkorder"))
from hot_sections import ordered_list  # noqa: E402

LINK = REPO_ROOT / "Sources" / "vigilante" / "Link"

# An lld map, trimmed: output sections at depth 0, input sections at 8, symbols at 16 (after four number columns).
MAP = """\
             VMA              LMA     Size Align Out     In      Symbol
          2001000          2001000     3000    16 .text
          2001000          2001000     1000    16         libswiftCore.a(Swift.o):(.text)
          2001000          2001000       40     1                 $sSS5countSivg
          2001040          2001040       20     1                 objectdestroyTm
          2002000          2002000     1000    16         Webhook.build/AdmissionReview.swift.o:(.text)
          2002000          2002000       80     1                 objectdestroyTm
          2002080          2002080       80     1                 $s7Webhook15AdmissionReviewV4readyyF
          2003000          2003000     1000    16         Healing.build/Steps.swift.o:(.text)
          2003000          2003000       80     1                 objectdestroyTm
          2003080          2003080       80     1                 $s7Healing5probeyyF
          2004000          2004000     1000    16 .rodata
          2004000          2004000     1000    16         Webhook.build/AdmissionReview.swift.o:(.rodata)
          2004000          2004000       10     1                 $sSS5countSivg
"""


def test_one_name_per_section_that_ran_and_never_a_name_other_sections_share(tmp_path) -> None:
    link_map = tmp_path / "vigilante.map"
    link_map.write_text(MAP)
    executed = {"$sSS5countSivg", "objectdestroyTm", "$s7Webhook15AdmissionReviewV4readyyF"}
    symbols, _, ambiguous = ordered_list(link_map, executed, set())
    # Swift.o and AdmissionReview ran, each by a name only it defines; in Steps only `objectdestroyTm` matches,
    # which three sections define: listing it would move all three, so Steps stays where it is.
    assert symbols == ["$s7Webhook15AdmissionReviewV4readyyF", "$sSS5countSivg"]
    assert ambiguous == 1


def test_start_up_sections_come_first_and_a_section_is_listed_once(tmp_path) -> None:
    link_map = tmp_path / "vigilante.map"
    link_map.write_text(MAP)
    startup = {"$sSS5countSivg"}
    # The work ran Swift.o again (by another of its names, were there one) and AdmissionReview for the first time.
    work = {"$sSS5countSivg", "$s7Webhook15AdmissionReviewV4readyyF"}
    first, rest, ambiguous = ordered_list(link_map, startup, work)
    assert first == ["$sSS5countSivg"]
    assert rest == ["$s7Webhook15AdmissionReviewV4readyyF"]
    assert ambiguous == 0


def test_the_committed_list_is_two_sorted_parts_of_one_name_a_line_under_comments() -> None:
    lines = (LINK / "hot-sections.order").read_text().splitlines()
    assert lines[0].startswith("# ")
    parts, current = [], None
    for line in lines:
        if line.startswith("# Start-up") or line.startswith("# Admission requests"):
            current = []
            parts.append(current)
        elif not line.startswith("#"):
            current.append(line)
    assert len(parts) == 2 and len(parts[0]) > 500 and parts[1]
    names = parts[0] + parts[1]
    assert all(part == sorted(part) for part in parts)
    assert len(names) == len(set(names)) and all(name and " " not in name for name in names)


def test_libstdcxx_so_is_a_linker_script_that_names_the_static_archive() -> None:
    text = (LINK / "libstdc++.so").read_text()
    assert "INPUT(-l:libstdc++.a)" in text
    assert not text.startswith("\x7fELF")
