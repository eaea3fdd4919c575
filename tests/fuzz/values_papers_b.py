"""Valid values and instances for the papers_b group of entry points (see values.py)."""

from fuzz.values import INSTANCES, OVERRIDES  # noqa: F401
