"""Find unrendered templates in a node's conf/ (see ``eilint.model.profile``)."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from eilint.model.profile import rendered_name

# The conf sub-directories eilint reads; templates are looked for there only.
CONF_DIRS = ("", "axis2", "etc", "datasources", "tomcat")
# A config repository holds a few dozen files per directory; stop listing a
# hostile one long before it costs time.
MAX_LISTED = 2000


def find_templates(conf: Path, present: Collection[str]) -> tuple[str, ...]:
    """Return conf-relative templates whose rendered file is not there."""
    found: list[str] = []
    for sub in CONF_DIRS:
        folder = conf / sub if sub else conf
        try:
            with os.scandir(folder) as entries:
                names = [
                    e.name
                    for _, e in zip(range(MAX_LISTED), entries, strict=False)
                    if e.is_file()
                ]
        except OSError:
            continue
        for name in names:
            rel = f"{sub}/{name}" if sub else name
            target = rendered_name(rel)
            if target is not None and target not in present:
                found.append(rel)
    return tuple(sorted(found))
