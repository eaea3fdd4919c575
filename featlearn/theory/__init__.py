"""The mathematics the papers define, written against the Python Array API.

One concept per module:

* :mod:`~featlearn.theory.host_constants` -- the one place NumPy is used: host-side scalar constants (quadrature);
* :mod:`~featlearn.theory.hermite` -- probabilists' Hermite polynomials and Hermite coefficients;
* :mod:`~featlearn.theory.activations` -- named activations and link functions with derivatives;
* :mod:`~featlearn.theory.distributions` -- input laws (Gaussian, sphere, hypercube, radial, mixtures);
* :mod:`~featlearn.theory.targets` -- target classes f* (single-index, quadratic feature, hierarchical g∘h, parity,
  Gaussian mixture, ball indicator, radial);
* :mod:`~featlearn.theory.one_step` -- Moniri et al. 2023 one-step spike theory;
* :mod:`~featlearn.theory.kernels`, :mod:`~featlearn.theory.three_layer_sample_complexity` -- Nichani et al. 2023 kernel spectrum
  and Theorem 1 sample sizes.

Theory never imports the training core (:mod:`featlearn.models`).
"""
