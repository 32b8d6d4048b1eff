"""The planner's balanced partition is exact: it matches a brute force over every way to cut."""

from __future__ import annotations

import itertools

import pytest

from circles.planner import PlanError, balanced_ranges


def cost(words: list[int], ranges: list[tuple[int, int]]) -> int:
    return sum(sum(words[first : last + 1]) ** 2 for first, last in ranges)


def brute_force_best(words: list[int], k: int) -> int:
    """The smallest cost over all compositions of len(words) into k positive parts."""
    n = len(words)
    best = None
    for cuts in itertools.combinations(range(1, n), k - 1):
        bounds = [0, *cuts, n]
        ranges = [(bounds[i], bounds[i + 1] - 1) for i in range(k)]
        value = cost(words, ranges)
        best = value if best is None else min(best, value)
    return best


CASES = [
    [5],
    [1, 1, 1],
    [10, 1, 1, 10],
    [3, 9, 2, 7, 7, 1],
    [100, 1, 1, 1, 1, 100],
    [4, 4, 4, 4, 4, 4, 4],
    [1, 20, 3, 3, 3, 3, 20, 1],
    [0, 0, 7, 0, 2],
]


@pytest.mark.parametrize("words", CASES)
def test_it_matches_the_brute_force_for_every_session_count(words):
    for k in range(1, len(words) + 1):
        ranges = balanced_ranges(words, k)
        assert len(ranges) == k
        assert ranges[0][0] == 0 and ranges[-1][1] == len(words) - 1
        assert all(first <= last for first, last in ranges)
        assert all(ranges[i][1] + 1 == ranges[i + 1][0] for i in range(k - 1))  # contiguous
        assert cost(words, ranges) == brute_force_best(words, k)


def test_it_matches_the_brute_force_on_all_small_inputs():
    for n in range(1, 7):
        for words in itertools.product([1, 2, 5, 13], repeat=n):
            for k in range(1, n + 1):
                assert cost(list(words), balanced_ranges(list(words), k)) == brute_force_best(
                    list(words), k
                )


def test_fewer_chapters_than_sessions_is_a_clear_message():
    with pytest.raises(PlanError) as error:
        balanced_ranges([10, 10, 10], 5)
    assert str(error.value) == (
        "This reading has 3 chapters, fewer than the 5 sessions asked for: choose fewer sessions."
    )


def test_zero_sessions_is_refused():
    with pytest.raises(PlanError, match="at least one session"):
        balanced_ranges([1, 2], 0)
