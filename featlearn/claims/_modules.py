"""Imports every module that registers claims (one module per paper or topic)."""

from featlearn.claims import foundation  # noqa: F401
from featlearn.claims import targets  # noqa: F401
