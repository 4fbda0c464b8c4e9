"""A frozen clock for tests whose dates must not move ("today or in the past" checks)."""

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine


def frozen_at(moment: datetime) -> object:
    """An autouse fixture holding the clock still at `moment` during each test. Assign it in a
    conftest or test module: `frozen = frozen_at(NOW)`."""

    @pytest.fixture(autouse=True)
    def frozen() -> Iterator[None]:
        with time_machine.travel(moment, tick=False):
            yield

    return frozen
