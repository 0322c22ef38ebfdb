"""The attribute finder of multi-line start tags equals the regex it replaced."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.loaders.xml import _assigns

# Names, separators, quotes and Unicode spaces (\s and str.isspace agree on them).
TEXT = st.text(alphabet=st.sampled_from(list("ab:= \t\u00a0\u2003\u3000x\"'<>")))


@settings(max_examples=2000, deadline=None)
@given(TEXT, st.sampled_from(["a", "ab", "b", "x", "a:b"]))
def test_assigns_is_the_regex(text: str, name: str) -> None:
    pattern = rf"(?:^|[\s:]){re.escape(name)}\s*="
    assert _assigns(text, name) == bool(re.search(pattern, text))
