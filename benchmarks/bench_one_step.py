"""Benchmark the one-step training core against its matrix products alone.

Times, on one backend and the same in-memory data (chunked as the core streams it):

* **step**: :func:`featlearn.models.one_step.one_step_gradient` -- per chunk ``Z = XW``,
  ``σ'(Z)``, ``Xᵀ[(r aᵀ) ⊙ σ'(Z)]``; 4·n·d·N matmul flops;
* **ridge stats**: :func:`featlearn.models.one_step.feature_stats` -- per chunk ``F = σ(XW)``,
  ``FᵀF``, ``Fᵀy``; 2·n·d·N + 2·n·N² matmul flops;
* **ridge solve**: :class:`featlearn.models.ridge.RidgePath` (one ``eigh`` of N × N) plus the
  training errors of a 25-value λ grid;

each against the bare matmuls of the same shapes and chunks (``baseline``), and prints the
ratio (overhead of activations, bookkeeping and transfers) and the effective GFLOP/s
(matmul flops / wall time). Data generation is not timed.

Usage::

    python benchmarks/bench_one_step.py --backend numpy --n 8192 --d 2048 --N 2048
    python benchmarks/bench_one_step.py --backend cupy          # paper-ish: n = 2^15, d = N = 2^13
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from featlearn.backends import Generator, backend_name, get_namespace, resolve_float_dtype, to_host
from featlearn.data import DEFAULT_CHUNK, chunk_bounds
from featlearn.models.one_step import DEFAULT_LAMBDAS, feature_stats, fit_second_layer, one_step_gradient
from featlearn.models.two_layer import init_network
from featlearn.stats import median


def _sync(a) -> None:
    """Block until ``a`` is computed (a one-element host transfer; works for lazy and GPU backends)."""
    to_host(a[(0,) * a.ndim] if a.ndim else a)


def _time(fn, repeats: int) -> tuple[float, float]:
    fn()  # warm-up (allocators, kernels, BLAS threads)
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return min(ts), median(ts)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    threads = {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
               if k in os.environ}
    return f"{platform.platform()}; {cpu}; {os.cpu_count()} logical cores; thread env {threads or 'unset'}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backend", default="numpy")
    p.add_argument("--n", type=int, default=2**15)
    p.add_argument("--d", type=int, default=2**13)
    p.add_argument("--N", type=int, default=2**13)
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    p.add_argument("--device", default=None, help="device for the arrays, e.g. 'cuda' for torch (default: backend's)")
    p.add_argument("--dtype", default=None, help="float32 or float64 (backend default: float64 CPU, float32 GPU)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--activation", default="tanh_softplus")
    args = p.parse_args(argv)

    xp = get_namespace(args.backend)
    dtype = resolve_float_dtype(xp, args.dtype, args.device)
    rng = Generator(0, xp=xp, device=args.device)
    n, d, N, chunk = args.n, args.d, args.N, args.chunk
    X = rng.child("X").normal((n, d), dtype=dtype)
    y = rng.child("y").normal((n,), dtype=dtype)
    src = (X, y)
    net = init_network(rng.child("init"), d, N, activation=args.activation, dtype=dtype)
    M = rng.child("M").normal((min(chunk, n), N), dtype=dtype)  # stands in for (r aᵀ) ⊙ σ'(Z)

    print(f"# featlearn one-step benchmark: backend={backend_name(xp)} device={args.device} dtype={dtype} "
          f"n={n} d={d} N={N} chunk={chunk} activation={args.activation} repeats={args.repeats} "
          "(min / median wall time)")
    print(f"# machine: {machine()}")

    def step():
        _sync(one_step_gradient(net, src, chunk=chunk).G)

    def step_mm():
        acc = None
        for s, e in chunk_bounds(n, chunk):
            Z = X[s:e, :] @ net.W
            g = X[s:e, :].T @ (M[: e - s, :] + 0.0 * Z[:, :1])  # keep Z live so it is computed
            acc = g if acc is None else acc + g
        _sync(acc)

    stats_box = {}

    def stats():
        stats_box["s"] = feature_stats(net, src, chunk=chunk)[0]
        _sync(stats_box["s"][0].FtF)

    def stats_mm():
        acc = None
        for s, e in chunk_bounds(n, chunk):
            F = X[s:e, :] @ net.W
            g = F.T @ F
            acc = g if acc is None else acc + g
        _sync(acc)

    def solve():
        fit = fit_second_layer(stats_box["s"], DEFAULT_LAMBDAS[:1])
        _sync(fit.coef)

    def solve_grid():
        fit = fit_second_layer(stats_box["s"], DEFAULT_LAMBDAS, stats_box["s"])
        _sync(fit.coef)

    def eigh_only():
        H = stats_box["s"][0].FtF
        _sync(xp.linalg.eigh(H)[0])

    def mm_square():
        H = stats_box["s"][0].FtF
        _sync(H @ H)

    rows = []
    flops = {"step": 4.0 * n * d * N, "stats": 2.0 * n * d * N + 2.0 * n * N * N}
    for name, fn, base in (("step", step, step_mm), ("ridge stats", stats, stats_mm)):
        t, tm = _time(fn, args.repeats)
        b, bm = _time(base, args.repeats)
        f = flops["step" if name == "step" else "stats"]
        rows.append((name, t, tm, b, f))
        print(f"{name:14s} {t:8.3f} s (median {tm:.3f})  matmuls alone {b:8.3f} s  ratio {t / b:5.2f}  "
              f"{f / t / 1e9:8.1f} GFLOP/s effective ({f / b / 1e9:.1f} for the matmuls alone)")
    t1, _ = _time(solve, args.repeats)
    tg, _ = _time(solve_grid, args.repeats)
    te, _ = _time(eigh_only, args.repeats)
    tmm, _ = _time(mm_square, args.repeats)
    print(f"{'ridge solve':14s} {t1:8.3f} s for one λ, {tg:.3f} s for the {len(DEFAULT_LAMBDAS)}-λ grid with "
          f"errors;  eigh(N×N) alone {te:.3f} s (ratio {tg / te:.2f});  an N×N×N matmul {tmm:.3f} s "
          f"({2.0 * N ** 3 / tmm / 1e9:.1f} GFLOP/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
