"""Sphinx configuration of the featlearn documentation site.

Build (from the repository root, warnings are errors, tutorials executed)::

    python -m pip install -e '.[docs]'
    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # build from the checkout even without an editable install

import featlearn  # noqa: E402

project = "featlearn"
author = "the featlearn authors"
copyright = "the featlearn authors"
release = featlearn.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "myst_nb",  # MyST Markdown pages and executed text notebooks (the tutorials)
]

# Never reach the network during a build (CI runs offline).
intersphinx_mapping: dict = {}

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "papers/template/**",  # the template paper folder is code, not documentation
    "**/.ipynb_checkpoints",
    "Thumbs.db",
    ".DS_Store",
]
templates_path = ["_templates"]

# -- HTML ----------------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"featlearn {release}"
html_static_path: list[str] = []

# -- MyST / MyST-NB ------------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3  # the paper notes link to their own sections as #anchors
nb_execution_mode = "force"  # tutorials run on every build
nb_execution_raise_on_error = True  # a tutorial that raises fails the build
nb_execution_timeout = 300
nb_execution_show_tb = True
nb_merge_streams = True
nb_execution_in_temp = True  # Hypothesis and reports write nothing into docs/

# -- autodoc / autosummary / napoleon ------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True

napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True  # "Attributes" sections as fields: a dataclass field is not documented twice
napoleon_preprocess_types = True
# "Setting" in a docstring's type field is the base class (each paper's face documents its own Setting too)
napoleon_type_aliases = {"Setting": "~featlearn.settings.Setting"}

nitpicky = False

# ==============================================================================================
# API_PENDING -- THE ONE SWITCH of the API reference.
# Modules listed here keep their place in docs/api/index.rst but get a placeholder page instead of
# their generated reference, because their docstrings do not yet build with -W. Remove a line to
# switch that module's reference on.
# ==============================================================================================
API_PENDING: list[str] = []

# Packages whose public names are re-exported from public submodules documented on their own pages:
# their page shows the package docstring only, so that no object is documented twice (duplicates
# make every cross-reference to them ambiguous).
API_DOCSTRING_ONLY: list[str] = [
    "featlearn.theory",
    "featlearn.models",
]

# Members documented on another page (the name a user imports), excluded here for the same reason.
API_EXCLUDE: dict[str, str] = {
    "featlearn.api": "claim, experiment, list_claims, list_experiments",  # documented as featlearn.claim, ...
    "featlearn.claims": "RunContext, make_context",  # documented in featlearn.context
}

autosummary_context = {"api_pending": API_PENDING, "api_docstring_only": API_DOCSTRING_ONLY,
                       "api_exclude": API_EXCLUDE}

os.environ.setdefault("MPLBACKEND", "Agg")
