"""Benchmark SWL23's gradient-feature core against its matrix products alone.

Times, on one backend and the same in-memory data (chunked as the core streams it):

* **batched G**: :func:`featlearn.papers.swl23.gradient_features.simplified_gradient` over m neurons --
  per chunk ``XW`` (the activations' pre-image), ``1{XW > b}`` and ``(y ⊙ X)ᵀ 1{XW > b}``;
  4·n·d·m matmul flops;
* **Algorithm 1 step**: one step of :func:`featlearn.papers.swl23.network.train_algorithm1`
  (hinge loss, full batch, no validation data) -- per chunk the forward pass ``σ(XW − b)``, ``Fa``,
  ``Fᵀr`` and ``Xᵀ[(r aᵀ) ⊙ σ'(XW − b)]``, plus one more forward pass for the last iterate's
  training metrics; ≈ 6·n·d·m matmul flops;

each against the bare matmuls of the same shapes and chunks (``matmuls alone``), and prints the
**share of time in matrix products** (matmul time / total) and the effective GFLOP/s. Data
generation is not timed.

Usage::

    python benchmarks/bench_gradient_features.py --backend numpy --n 16384 --d 256 --m 1024
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from bench_one_step import _sync, _time, machine  # noqa: E402

from featlearn.backends import Generator, backend_name, get_namespace, resolve_float_dtype  # noqa: E402
from featlearn.data import DEFAULT_CHUNK, chunk_bounds  # noqa: E402
from featlearn.papers.swl23.network import frozen_biases, init_symmetric, train_algorithm1  # noqa: E402
from featlearn.papers.swl23.gradient_features import simplified_gradient  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backend", default="numpy")
    p.add_argument("--n", type=int, default=2**14)
    p.add_argument("--d", type=int, default=256)
    p.add_argument("--m", type=int, default=1024)
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    p.add_argument("--device", default=None)
    p.add_argument("--dtype", default=None)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args(argv)

    xp = get_namespace(args.backend)
    dtype = resolve_float_dtype(xp, args.dtype, args.device)
    rng = Generator(0, xp=xp, device=args.device)
    n, d, m, chunk = args.n, args.d, args.m, args.chunk
    X = rng.child("X").normal((n, d), dtype=dtype)
    y = rng.child("y").rademacher((n,), dtype=dtype)
    net = init_symmetric(rng.child("init"), d, m, dtype=dtype)
    W, b = net.W, frozen_biases(net)
    versions = {k: md.version(k) for k in ("numpy", "scipy") if _has(k)}
    print(f"# featlearn gradient-feature benchmark: backend={backend_name(xp)} device={args.device} dtype={dtype} "
          f"n={n} d={d} m={m} chunk={chunk} repeats={args.repeats} (min / median wall time)")
    print(f"# machine: {machine()}")
    print(f"# versions: python {sys.version.split()[0]}; {versions}")

    def grad():
        _sync(simplified_gradient(W, b, (X, y), chunk=chunk))

    def grad_mm():
        acc = None
        for s, e in chunk_bounds(n, chunk):
            Z = X[s:e, :] @ W
            g = X[s:e, :].T @ Z
            acc = g if acc is None else acc + g
        _sync(acc)

    def step():
        res = train_algorithm1(net, (X, y), steps=1, eta1=5.0, eta=0.1, chunk=chunk)
        _sync(res.last.W)

    def step_mm():
        acc, out = None, None
        for s, e in chunk_bounds(n, chunk):  # the step's pass: XW and Xᵀ[·]
            Z = X[s:e, :] @ W
            g = X[s:e, :].T @ Z
            acc = g if acc is None else acc + g
        for s, e in chunk_bounds(n, chunk):  # the last iterate's metrics pass: XW
            Z = X[s:e, :] @ W
            out = Z[:, 0] if out is None else out + Z[:, 0]
        _sync(acc)
        _sync(out)

    for name, fn, base, flops in (("batched G", grad, grad_mm, 4.0 * n * d * m),
                                  ("Algorithm 1 step", step, step_mm, 6.0 * n * d * m)):
        t, tm = _time(fn, args.repeats)
        bt, _ = _time(base, args.repeats)
        print(f"{name:17s} {t:8.3f} s (median {tm:.3f})  matmuls alone {bt:8.3f} s  share in matmuls "
              f"{min(bt / t, 1.0):5.1%}  {flops / t / 1e9:7.1f} GFLOP/s effective ({flops / bt / 1e9:.1f} for the "
              "matmuls alone)")
    return 0


def _has(name: str) -> bool:
    try:
        md.version(name)
        return True
    except md.PackageNotFoundError:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
