"""Paper content as plug-ins: one sub-package per paper, registered by one line below.

Each paper package (``featlearn/papers/<key>/``) holds everything specific to that paper:

* ``__init__.py`` -- :func:`featlearn.claims.register_paper` with the citation, then imports
  the modules below so that they register their content;
* ``setting.py`` -- the paper's setting (targets, links, activations, noise, sizes per scale),
  registered with the paper and handed to its claims and sweep cells as ``ctx.setting``;
* ``claims.py`` -- its claims (:func:`featlearn.claims.claim`);
* ``experiments.py`` -- its sweeps for ``featlearn reproduce`` and for the claims that read them
  (:func:`featlearn.experiments.register_experiment`): cells ``fn(params, ctx)`` that take their
  namespace, device and random streams from the :class:`~featlearn.context.RunContext` ``ctx``.

Generic mathematics lives in :mod:`featlearn.theory`, generic algorithms in
:mod:`featlearn.models`; the claim framework (:mod:`featlearn.claims`) and the experiment
engine (:mod:`featlearn.experiments`) never import paper content. The paper descriptions these
modules cite are ``docs/papers/<key>.md`` in the repository.

Adding a paper: create ``featlearn/papers/<key>/`` as above and add its key to
:data:`PAPER_PACKAGES`.
"""

from __future__ import annotations

import importlib

__all__ = ["PAPER_PACKAGES", "load_papers"]

#: The registered paper packages, in display order. A new paper is one more entry here.
PAPER_PACKAGES: tuple[str, ...] = (
    "math",
    "mlhd23",
    "ndl23",
    "swl23",
    "sl21",
    "cui24",
)

_LOADED = False


def load_papers() -> None:
    """Import every paper package, so that its paper, claims and experiments are registered."""
    global _LOADED
    if _LOADED:
        return
    for key in PAPER_PACKAGES:
        importlib.import_module(f"featlearn.papers.{key}")
    _LOADED = True
