"""Rule selection: exact ids and names beat prefixes, longer prefixes beat shorter."""

from __future__ import annotations

import pytest

from eilint.catalog import load_catalog
from eilint.selection import SelectionError
from eilint.selection import selected
from eilint.selection import split_tokens

CATALOG = load_catalog()


def test_default_is_everything() -> None:
    assert selected(CATALOG, [], []) == [
        r.id for r in CATALOG.rules.values() if not r.deprecated
    ]


@pytest.mark.parametrize(
    ("select", "ignore", "must", "must_not"),
    [
        (["REG001"], [], {"REG001"}, {"DSR001"}),
        (["registry-writer-count"], [], {"REG001"}, {"DSR001"}),
        (["DSR"], ["DSR002"], {"DSR001"}, {"DSR002"}),
        (["DSR002"], ["DSR"], {"DSR002"}, {"DSR001"}),
        ([], ["EIL"], {"REG001"}, {"EIL001"}),
        (["EIL00"], ["EIL"], {"EIL001"}, {"REG001"}),
        (["tag:hazelcast"], [], {"CLU001"}, {"REG001"}),
    ],
)
def test_longest_match_wins(select, ignore, must, must_not) -> None:  # type: ignore[no-untyped-def]
    chosen = set(selected(CATALOG, select, ignore))
    assert must <= chosen
    assert not (must_not & chosen)


def test_unknown_token_is_an_error() -> None:
    with pytest.raises(SelectionError):
        selected(CATALOG, ["REG999"], [])
    with pytest.raises(SelectionError):
        selected(CATALOG, [], ["no-such-rule"])


def test_split_tokens() -> None:
    assert split_tokens(["REG001, DSR", "CLU"]) == ["REG001", "DSR", "CLU"]
