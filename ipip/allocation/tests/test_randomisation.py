"""The randomisation, statistically: balanced within strata, blocks not predictable.

Pure: no database. Chi-square statistics are compared with critical values at p = 0.001, so
a correct generator fails a test about once in a thousand runs of it; the keys here are
fixed, so the results are the same on every run.
"""

import hashlib
from collections import Counter
from collections.abc import Callable
from itertools import permutations

import pytest

from ipip.allocation.randomisation import (
    BLOCK_SIZES,
    PTP,
    VIG,
    arm_at,
    block,
    blocks,
    sequence,
)

KEY = bytes.fromhex("0123456789abcdef" * 4)
OTHER_KEY = hashlib.sha256(b"another fake key").digest()

# Chi-square critical values at p = 0.001, by degrees of freedom.
CHI2_001 = {2: 13.816, 5: 20.515, 11: 31.264, 12: 32.909, 19: 43.820}


def chi_square(observed: list[int], expected: list[float]) -> float:
    return sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))


def strata(n: int, prefix: str = "area") -> list[str]:
    return [f"{prefix}:{i}" for i in range(n)]


def blocks_of(key: bytes, stratum: str, count: int) -> list[tuple[str, ...]]:
    return [block(key, stratum, i) for i in range(count)]


# -- the sequence -------------------------------------------------------------------


def test_arm_at_reads_the_same_sequence_as_the_blocks() -> None:
    for stratum in strata(5):
        arms = sequence(KEY, stratum, 80)
        assert [arm_at(KEY, stratum, p) for p in range(80)] == arms
        assert arms == [a for blk in blocks_of(KEY, stratum, 40) for a in blk][:80]


def test_the_sequence_is_deterministic() -> None:
    assert sequence(KEY, "area:x", 200) == sequence(KEY, "area:x", 200)
    assert set(sequence(KEY, "area:x", 200)) == {VIG, PTP}


def test_every_block_holds_equal_numbers_of_each_arm() -> None:
    for stratum in strata(50):
        for blk in blocks_of(KEY, stratum, 40):
            assert len(blk) in BLOCK_SIZES
            assert blk.count(VIG) == blk.count(PTP) == len(blk) // 2


def test_exact_balance_at_every_block_end_and_at_most_three_apart_at_every_prefix() -> None:
    for stratum in strata(40):
        difference, ends, position = 0, set(), 0
        for blk in blocks_of(KEY, stratum, 150):
            position += len(blk)
            ends.add(position)
        arms = sequence(KEY, stratum, position)
        for p, arm in enumerate(arms, start=1):
            difference += 1 if arm == VIG else -1
            assert abs(difference) <= 3, (stratum, p)
            if p in ends:
                assert difference == 0, (stratum, p)


def test_arms_are_half_and_half_over_ten_thousand_positions_across_strata() -> None:
    counts: Counter[str] = Counter()
    for stratum in strata(10):
        counts.update(sequence(KEY, stratum, 1000))
    assert counts[VIG] + counts[PTP] == 10_000
    # Blocks keep each stratum within 3 of equal; a coin would stray by about 50.
    assert abs(counts[VIG] - 5000) <= 30
    assert chi_square([counts[VIG], counts[PTP]], [5000, 5000]) < 3.841  # p = 0.05, df 1


def test_each_position_is_vig_half_the_time() -> None:
    """No position of the sequence leans to one arm: 2,000 strata, the first 12 positions."""
    n, length = 2000, 12
    vig_at = [0] * length
    for stratum in strata(n, "pos"):
        for p, arm in enumerate(sequence(KEY, stratum, length)):
            vig_at[p] += arm == VIG
    statistic = sum((v - n / 2) ** 2 / (n / 2) + (v - n / 2) ** 2 / (n / 2) for v in vig_at)
    assert statistic < CHI2_001[12]


def test_block_sizes_take_2_4_and_6_about_equally_often() -> None:
    sizes = Counter(len(b) for stratum in strata(100) for b in blocks_of(KEY, stratum, 30))
    assert set(sizes) == {2, 4, 6}
    total = sum(sizes.values())
    assert chi_square([sizes[2], sizes[4], sizes[6]], [total / 3] * 3) < CHI2_001[2]


@pytest.mark.parametrize("size", [4, 6])
def test_every_ordering_of_a_block_is_equally_likely(size: int) -> None:
    orderings: Counter[tuple[str, ...]] = Counter()
    for stratum in strata(600, "order"):
        orderings.update(b for b in blocks_of(KEY, stratum, 30) if len(b) == size)
    possible = set(permutations([VIG] * (size // 2) + [PTP] * (size // 2)))
    assert set(orderings) == possible  # 6 orderings of 4, 20 of 6
    total = sum(orderings.values())
    observed = [orderings[o] for o in sorted(possible)]
    assert (
        chi_square(observed, [total / len(possible)] * len(possible)) < CHI2_001[len(possible) - 1]
    )


def agreement(a: list[str], b: list[str]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def test_different_strata_give_different_sequences() -> None:
    sheffield, hull = sequence(KEY, "area:sheffield", 4000), sequence(KEY, "area:hull", 4000)
    assert sheffield != hull
    assert 0.46 < agreement(sheffield, hull) < 0.54  # unrelated, as two coins would be


def test_different_keys_give_different_sequences() -> None:
    ours, theirs = (
        sequence(KEY, "area:sheffield", 4000),
        sequence(OTHER_KEY, "area:sheffield", 4000),
    )
    assert ours != theirs
    assert 0.46 < agreement(ours, theirs) < 0.54


def test_a_key_one_bit_different_gives_an_unrelated_sequence() -> None:
    flipped = bytes([KEY[0] ^ 1]) + KEY[1:]
    assert 0.46 < agreement(sequence(KEY, "s", 4000), sequence(flipped, "s", 4000)) < 0.54


# -- unpredictability from what staff can see ---------------------------------------
#
# Staff (and the audit trail) can see every arm assigned so far in a stratum, in order.
# They cannot see the key, hence neither the block sizes nor where a block ends.


def behind_predictor(history: list[str]) -> str:
    """Guess the arm that is behind, else VIG: the classic guess against permuted blocks."""
    vig = history.count(VIG)
    ptp = len(history) - vig
    return PTP if vig > ptp else VIG


def best_predictor(history: list[str]) -> str:
    """The best guess without the key: the exact chance of VIG next, given that block sizes
    are 2, 4 or 6 with equal chance and every ordering of a block is equally likely, worked
    out over every way the history could split into blocks."""
    # States: None at a block boundary, else (size, vig so far, ptp so far) in the block.
    states: dict[tuple[int, int, int] | None, float] = {None: 1.0}
    for arm in history:
        following: dict[tuple[int, int, int] | None, float] = {}
        for state, weight in states.items():
            options = [(s, 0, 0, 1 / 3) for s in BLOCK_SIZES] if state is None else [(*state, 1.0)]
            for size, vig, ptp, chance in options:
                left_vig, left_ptp = size // 2 - vig, size // 2 - ptp
                p = (left_vig if arm == VIG else left_ptp) / (left_vig + left_ptp)
                if p == 0:
                    continue
                vig, ptp = vig + (arm == VIG), ptp + (arm == PTP)
                key = None if vig + ptp == size else (size, vig, ptp)
                following[key] = following.get(key, 0.0) + weight * chance * p
        total = sum(following.values())
        states = {k: w / total for k, w in following.items()}
    p_vig = sum(
        w * (0.5 if s is None else (s[0] // 2 - s[1]) / (s[0] - s[1] - s[2]))
        for s, w in states.items()
    )
    return VIG if p_vig >= 0.5 else PTP


def hit_rate(
    predictor: Callable[[list[str]], str], n_strata: int, length: int, *, only_equal: bool = False
) -> tuple[int, int]:
    hits = tries = 0
    for stratum in strata(n_strata, "guess"):
        arms = sequence(KEY, stratum, length)
        for p, arm in enumerate(arms):
            history = arms[:p]
            if only_equal and 2 * history.count(VIG) != p:
                continue
            tries += 1
            hits += predictor(history) == arm
    return hits, tries


def test_guessing_the_arm_behind_is_right_well_under_always() -> None:
    hits, tries = hit_rate(behind_predictor, 150, 200)
    rate = hits / tries  # about 0.70 with blocks of 2, 4 and 6 (0.79 with fixed blocks of 4)
    assert tries == 30_000
    assert rate < 0.75


def test_the_best_guess_without_the_key_is_right_well_under_always() -> None:
    hits, tries = hit_rate(best_predictor, 60, 120)
    assert hits / tries < 0.75  # about 0.71


def test_when_the_arms_so_far_are_equal_no_guess_beats_chance() -> None:
    """Where the counts are equal, the next arm is VIG or PTP with equal chance, whatever
    was seen before: a block may be starting or be half done, and staff cannot tell which."""
    hits, tries = hit_rate(behind_predictor, 300, 200, only_equal=True)
    assert tries > 10_000
    sd = (tries * 0.25) ** 0.5
    assert abs(hits - tries / 2) < 4 * sd  # within four standard deviations of a coin


# -- bad input ----------------------------------------------------------------------


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        arm_at(b"short", "s", 0)


@pytest.mark.parametrize("stratum", ["", "a|b"])
def test_a_bad_stratum_is_refused(stratum: str) -> None:
    with pytest.raises(ValueError, match="stratum"):
        arm_at(KEY, stratum, 0)


def test_a_negative_position_is_refused() -> None:
    with pytest.raises(ValueError, match="position"):
        arm_at(KEY, "s", -1)
    with pytest.raises(ValueError, match="block"):
        block(KEY, "s", -1)


def test_blocks_go_on_without_end() -> None:
    stream = blocks(KEY, "s")
    assert len([next(stream) for _ in range(1000)]) == 1000
