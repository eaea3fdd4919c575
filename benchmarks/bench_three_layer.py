"""Benchmark one layer-wise run (Algorithm 1) against the backend's GEMM rate.

Effective GFLOP/s counts the dominant matrix products of a run: stage 1 and the learned
feature on D2/val/test (2·n·d·m2 for XVᵀ plus 2·n·m2 for the product with g, per sample),
and stage 2 (2·n·m1² per slope for the Gram matrices of D2 and validation). Peak memory is the
process's peak RSS growth (resource.getrusage) and, for NumPy, tracemalloc's traced peak.

    python benchmarks/bench_three_layer.py --backend numpy --n 65536 --out benchmarks/results/three_layer_cpu_numpy.txt
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
import tracemalloc

from featlearn.backends import Generator, get_namespace, to_scalar
from featlearn.papers.ndl23.three_layer import DEFAULT_SLOPES, run_layerwise
from featlearn.papers.ndl23.kernels import CENTRED_ABS
from featlearn.theory.targets import QuadraticFeature


def gemm_rate(xp, size=2048, reps=3):
    rng = Generator(0, xp=xp)
    A, B = rng.normal((size, size)), rng.normal((size, size))
    to_scalar(xp.sum(A @ B))
    t = time.perf_counter()
    for _ in range(reps):
        C = A @ B
    to_scalar(xp.sum(C))
    return 2 * size**3 * reps / (time.perf_counter() - t) / 1e9


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="numpy")
    ap.add_argument("--n", type=int, default=2**16)
    ap.add_argument("--d", type=int, default=32)
    ap.add_argument("--m1", type=int, default=512)
    ap.add_argument("--m2", type=int, default=2**13)
    ap.add_argument("--out", default=None)
    a = ap.parse_args(argv)
    xp = get_namespace(a.backend)
    lines = [f"# bench_three_layer: backend={a.backend} python={platform.python_version()} "
             f"machine={platform.machine()} (CPU only)"]
    g = gemm_rate(xp)
    lines.append(f"gemm_gflops(2048^3, float64) = {g:.1f}")
    f = QuadraticFeature.random(Generator(0, xp=xp).child("A"), a.d, "relu")
    n_eval = 2**12
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    trace = a.backend == "numpy"
    if trace:
        tracemalloc.start()
    t = time.perf_counter()
    r = run_layerwise(f, Generator(1, xp=xp), n=a.n, m1=a.m1, m2=a.m2, sigma2=CENTRED_ABS, n_val=n_eval,
                      n_test=n_eval)
    sec = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0
    n_feat = 2 * a.n + 3 * n_eval  # D1, D2, val, test (test twice: corr and loss)
    flops = n_feat * 2 * a.m2 * (a.d + 1) + len(DEFAULT_SLOPES) * 2 * (a.n + n_eval) * a.m1**2
    lines += [f"n={a.n} d={a.d} m1={a.m1} m2={a.m2} chunk=min(4096, 2^23//m2) slopes={len(DEFAULT_SLOPES)}",
              f"seconds = {sec:.2f}",
              f"effective_gflops = {flops / sec / 1e9:.1f}  ({100 * flops / sec / 1e9 / g:.0f}% of GEMM rate)",
              f"n_x_m2_matrix_would_be_MiB = {a.n * a.m2 * 8 / 2**20:.0f}",
              f"peak_rss_growth_MiB = {rss / 1024:.0f}",
              f"tracemalloc_peak_MiB = {peak / 2**20:.0f}" if peak is not None else "tracemalloc_peak_MiB = n/a",
              f"test_nmse = {r.test_nmse:.3f} corr = {r.corr:.3f}"]
    text = "\n".join(lines)
    print(text)
    if a.out:
        with open(a.out, "w") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
