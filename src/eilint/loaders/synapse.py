"""The integrator's deployed Synapse configuration that rules read (not just hash)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from eilint.loaders.discover import NodeSpec
from eilint.model.synapse import MESSAGE_PROCESSORS
from eilint.model.xml import XmlDoc

# A node deploys a handful of processors; a directory of thousands is not read.
MAX_PROCESSORS = 64


def processor_files(spec: NodeSpec) -> list[str]:
    """Return an integrator EI_HOME's message-processor files (EI_HOME-relative)."""
    if spec.home is None or spec.conf != spec.home / "conf":
        return []  # not the integrator profile of an EI_HOME
    folder = spec.home / MESSAGE_PROCESSORS
    try:
        names = sorted(p.name for p in folder.glob("*.xml")) if folder.is_dir() else []
    except OSError:
        return []  # the artifact scan reports an unreadable deployment directory
    return [f"{MESSAGE_PROCESSORS}/{n}" for n in names[:MAX_PROCESSORS]]


def load_processors(
    spec: NodeSpec, read: Callable[[Path, str], XmlDoc | None]
) -> dict[str, XmlDoc]:
    """Parse the node's message processors with the node loader's ``read``."""
    docs: dict[str, XmlDoc] = {}
    for rel in processor_files(spec):
        doc = read(spec.home or spec.path, rel)
        if doc is not None:
            docs[rel] = doc
    return docs
