"""Valid values and instances for the core group of entry points (see values.py)."""

from fuzz.values import INSTANCES, OVERRIDES  # noqa: F401
