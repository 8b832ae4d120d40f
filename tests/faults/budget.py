"""The fault suite's time budget: short by default, long with ``CHANGELEDGER_FAULT_SECONDS``.

The short form runs in the normal suite (bin/test); ``CHANGELEDGER_FAULT_SECONDS=60
bin/faults`` gives each fault test about that many seconds of load or rounds instead.
"""

from __future__ import annotations

import os

FAULT_SECONDS_ENV = "CHANGELEDGER_FAULT_SECONDS"


def fault_seconds() -> float:
    """The long form's budget per fault test; 0 in the short form."""
    return float(os.environ.get(FAULT_SECONDS_ENV) or 0)


def scaled(short: int, seconds_each: float) -> int:
    """How many rounds: ``short`` in the short form, one per ``seconds_each`` in the long."""
    return max(short, int(fault_seconds() / seconds_each))


def load_seconds(short: float) -> float:
    """How long to keep a load going: ``short``, or the long form's whole budget."""
    return max(short, fault_seconds())
