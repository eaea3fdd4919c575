"""Valid values and instances for the models group of entry points (see values.py)."""

from fuzz.values import INSTANCES, OVERRIDES  # noqa: F401
