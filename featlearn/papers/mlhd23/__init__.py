"""Moniri, Lee, Hassani, Dobriban 2023 (with its companion Ba et al. 2022): one large gradient step.

Described in ``docs/papers/mlhd23.md``. This file is the paper's face: it registers the paper and
its companion (claims ``ba22.*``, the same :class:`Setting`), loads the claims and experiments, and
re-exports the paper's setting, its network (the shared :class:`OneStepNetwork`, an estimator whose defaults are
this paper's error protocol, and the :class:`TwoLayerNetwork` it trains), and its spectral measurements. The sweep cells and figures are
registered with the experiments (``featlearn.experiment("mlhd23-spectral")``); they live in ``experiments``
and ``figures``.
"""

from featlearn.claims import register_paper

from .setting import BA22_CITATION, BA22_KEY, CITATION, KEY, Setting

register_paper(KEY, setting=Setting, **CITATION)
register_paper(BA22_KEY, setting=Setting, **BA22_CITATION)

from featlearn.models.one_step import OneStepNetwork  # noqa: E402  (the paper's network: one step, then ridge)
from featlearn.models.two_layer import TwoLayerNetwork  # noqa: E402

from . import claims, experiments  # noqa: E402  (registers the claims and experiments)
from .spectral import (SpectralStats, Spectrum, SpikeSweep, bulk_edge, count_spikes,  # noqa: E402
                       fit_growth_exponent, spectral_stats, spike_sweep, top_spectrum)

__all__ = ["BA22_CITATION", "BA22_KEY", "CITATION", "KEY", "OneStepNetwork", "Setting", "SpectralStats", "Spectrum",
           "SpikeSweep", "TwoLayerNetwork", "bulk_edge", "claims", "count_spikes", "experiments",
           "fit_growth_exponent", "spectral_stats", "spike_sweep", "top_spectrum"]
