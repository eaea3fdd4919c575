"""Imports every module that registers claims (one module per paper or topic)."""

from featlearn.claims import foundation  # noqa: F401
from featlearn.claims import targets  # noqa: F401
from featlearn.claims import mlhd23  # noqa: F401
from featlearn.claims import ndl23  # noqa: F401
