"""The pattern prefilter only ever skips a pattern that cannot match: for every surface pattern in the knowledge
base, text the pattern matches (drawn by Hypothesis from the pattern itself) contains the words the prefilter
says it needs."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenzhen.kb import get_kb
from wenzhen.understanding.lexicon import get_lexicons, prefilter

PATTERNS = sorted({p for f in get_kb().findings.values() for p in f.patterns})


def _matching_text(pattern: str):
    try:
        return st.from_regex(re.compile(pattern, re.I)).map(str.lower)
    except Exception:  # noqa: BLE001 - a construct Hypothesis cannot generate from (lookarounds): skipped below
        return st.nothing()


@settings(max_examples=800, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(PATTERNS).flatmap(lambda p: st.tuples(st.just(p), _matching_text(p))))
def test_a_pattern_that_matches_has_the_words_it_needs(case):
    pattern, text = case
    if not re.search(pattern, text, re.I):
        return  # lower-casing changed what matches (rare Unicode cases); nothing to check
    for words in prefilter(pattern):
        assert any(w in text for w in words), (pattern, text, words)


@pytest.mark.parametrize("pattern, needed, not_needed", [
    (r"(?:squeezing|crushing|heavy)[^.;]{0,20}chest", [{"chest"}, {"squeezing", "crushing", "heavy"}], []),
    (r"脖子[^，]{0,3}硬(?:了|的)", [{"脖子"}, {"硬"}, {"了", "的"}], []),
    (r"(?<!不)头(?:好)?痛", [{"头"}, {"痛"}], [{"不"}, {"好"}]),  # lookbehind and optional parts are not needed
    (r"\b(?:\d+|one) weeks? late", [{" week"}], [{"one"}]),  # a branch with no literal word adds no need
    (r"(?:a|)b", [{"b"}], [{"a"}]),  # an empty alternative needs nothing
    (r"[^x]y", [{"y"}], [{"x"}]),  # a negated class needs nothing
])
def test_prefilter_needs_only_what_every_match_contains(pattern, needed, not_needed):
    groups = [set(g) for g in prefilter(pattern)]
    for g in needed:
        assert any(g <= have for have in groups) or g in groups, (groups, g)
    for g in not_needed:
        assert g not in groups


def test_most_patterns_are_skipped_on_a_typical_complaint():
    matcher = get_lexicons().finding_patterns
    words = {w for _, w in matcher._words.iter("孩子发烧两天，38.5度，有点咳嗽")}
    runs = set(matcher._always)
    for w in words:
        runs.update(matcher._by_word.get(w, ()))
    assert len(runs) < len(PATTERNS) / 5
