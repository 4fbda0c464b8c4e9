"""Concealed randomisation: permuted blocks of randomly varying size, per stratum. Pure.

The sequence is never stored. The arm at any position of a stratum is worked out from a
secret key kept outside the database (settings `IPIP_RANDOMISATION_KEY`), so no one who can
read the tables, the audit trail or the pages can foresee the next assignment, and no one
can change it.

How the sequence is built, for a stratum `s` and key `k`:
- the stratum's sequence is a run of blocks 0, 1, 2, ...;
- block `b` draws its bytes from HMAC-SHA256(k, "s|b|0"), then "s|b|1", ... as needed;
- from those bytes (unbiased: rejection sampling) it picks its size from {2, 4, 6} with
  equal chance, then shuffles equal numbers of "vig" and "ptp" (Fisher-Yates), so every
  ordering of the block is equally likely;
- position `p` (0-based) is the p-th arm of the concatenated blocks.

Balance: the two arms are equal at every block end and never differ by more than three.
Random block sizes keep staff who see every past arm from knowing where a block ends.
"""

import hashlib
import hmac
from collections.abc import Iterator
from typing import Final

VIG: Final = "vig"
PTP: Final = "ptp"
ARMS: Final = (VIG, PTP)
BLOCK_SIZES: Final = (2, 4, 6)
MIN_KEY_BYTES: Final = 32  # as long as HMAC-SHA256's output: no shorter secret


def check_key(key: bytes) -> None:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"The randomisation key must be at least {MIN_KEY_BYTES} bytes.")


def _check_stratum(stratum: str) -> None:
    # "|" separates the parts of the HMAC message: a stratum holding one would be ambiguous.
    if not stratum or "|" in stratum:
        raise ValueError("A stratum code must be non-empty and must not contain '|'.")


class _Stream:
    """Deterministic, unpredictable bytes for one block of one stratum."""

    def __init__(self, key: bytes, stratum: str, block: int) -> None:
        self._key = key
        self._prefix = f"{stratum}|{block}|"
        self._chunk = 0
        self._buffer = b""
        self._offset = 0

    def _byte(self) -> int:
        if self._offset >= len(self._buffer):
            message = f"{self._prefix}{self._chunk}".encode()
            self._buffer = hmac.new(self._key, message, hashlib.sha256).digest()
            self._chunk += 1
            self._offset = 0
        value = self._buffer[self._offset]
        self._offset += 1
        return value

    def below(self, n: int) -> int:
        """A uniform integer in [0, n) for 1 <= n <= 256: bytes past the last whole multiple
        of n are thrown away, so no value is favoured."""
        limit = 256 - 256 % n
        while True:
            value = self._byte()
            if value < limit:
                return value % n


def block(key: bytes, stratum: str, index: int) -> tuple[str, ...]:
    """Block `index` (0-based) of the stratum's sequence: 2, 4 or 6 arms, half of each."""
    check_key(key)
    _check_stratum(stratum)
    if index < 0:
        raise ValueError("A block index cannot be negative.")
    stream = _Stream(key, stratum, index)
    size = BLOCK_SIZES[stream.below(len(BLOCK_SIZES))]
    arms = [VIG] * (size // 2) + [PTP] * (size // 2)
    for i in range(size - 1, 0, -1):
        j = stream.below(i + 1)
        arms[i], arms[j] = arms[j], arms[i]
    return tuple(arms)


def blocks(key: bytes, stratum: str) -> Iterator[tuple[str, ...]]:
    """The stratum's blocks in order, without end."""
    index = 0
    while True:
        yield block(key, stratum, index)
        index += 1


def sequence(key: bytes, stratum: str, length: int) -> list[str]:
    """The first `length` arms of the stratum (for analysis and tests; never shown to staff)."""
    arms: list[str] = []
    for blk in blocks(key, stratum):
        if len(arms) >= length:
            break
        arms.extend(blk)
    return arms[:length]


def arm_at(key: bytes, stratum: str, position: int) -> str:
    """The arm, "vig" or "ptp", at `position` (0-based) of the stratum's sequence.

    Walks the blocks up to the position: about position/4 HMACs, a few hundred at most for
    an area's families, so nothing need be stored or cached.
    """
    if position < 0:
        raise ValueError("A position cannot be negative.")
    start = 0
    for blk in blocks(key, stratum):
        if position < start + len(blk):
            return blk[position - start]
        start += len(blk)
    raise AssertionError("unreachable: blocks() never ends")  # pragma: no cover
