"""The race: featlearn against short hand-written NumPy and PyTorch scripts of the same algorithms.

    python benchmarks/race.py [--size small|medium] [--repeats 3] [--out benchmarks/results/race_cpu.md]

Three workloads, on identical inputs (drawn once with NumPy and shared):

* ``one-step``: the one-step gradient G = Xᵀ[(y aᵀ) ⊙ σ'(XW₀)]/n, the step W = W₀ + ηG, ridge statistics
  FᵀF, Fᵀy of F = σ(X̃W) on fresh data, one eigendecomposition and the validation errors of a 25-λ grid;
* ``spectrum``: the top 6 singular values of F = σ(X̃W) and of F₀ = σ(X̃W₀) (bulk edge);
* ``three-layer``: NDL23 stage 1 (g = Σ(y − ȳ)σ₂(Vx)/n, streamed) and the learned feature on a test set.

Each is timed alternately (featlearn, NumPy, PyTorch), ``--repeats`` times, the minimum kept; the
outputs are compared (they must agree to rounding). The ratio featlearn / hand-written is the cost of
the abstraction (goal ≤ 1 on the same backend). The roofline ratio is time / max(flops / GEMM rate,
bytes / bandwidth), with both rates measured in the same run (a 2048³ float64 GEMM and a streaming
sum over 256 MiB) and the flop and byte counts of the ideal algorithm stated in the table.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time

import numpy as np

from featlearn.backends import Generator, get_namespace, to_host
from featlearn.data import DEFAULT_CHUNK
from featlearn.models.one_step import (apply_step, feature_stats, fit_second_layer, one_step_gradient,
                                      validation_errors)
from featlearn.models.ridge import DEFAULT_LAMBDAS, DEFAULT_RELATIVE_LAMBDAS, RidgePath
from featlearn.papers.mlhd23.spectral import spectral_stats, top_spectrum
from featlearn.papers.ndl23.three_layer import DEFAULT_SLOPES, ThreeLayerNetwork
from featlearn.models.two_layer import TwoLayerNetwork, get_parametrization
from featlearn.output import markdown_table, write_atomic

#: n, d = N for the one-step and spectrum workloads; n3, d3, m2 for the three-layer fit. "large" is the benchmark
#: size of the one-step and three-layer benchmarks (bench_one_step.py, bench_three_layer.py); there N > DENSE_MAX,
#: so featlearn's spectrum takes its block Krylov path while the scripts run a full symmetric eigensolver.
SIZES = {"small": dict(n=4096, d=512, N=512, n3=4096, m2=4096, d3=32),
         "medium": dict(n=8192, d=1024, N=1024, n3=8192, m2=8192, d3=32),
         "large": dict(n=8192, d=2048, N=2048, n3=65536, m2=8192, d3=32)}
LAMBDAS = np.asarray(DEFAULT_LAMBDAS)
ETA = 4.0
#: The three-layer fit: m1 outer neurons, featlearn's default slope and relative λ grids.
M1 = 512
SLOPES = DEFAULT_SLOPES
REL_LAMBDAS = np.asarray(DEFAULT_RELATIVE_LAMBDAS)


def _best(fn, repeats):
    out, best = None, math.inf
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def machine_rates(xnp=np, sync=lambda: None):
    """(GEMM GFLOP/s, streaming GB/s) of this machine (or GPU, with ``xnp`` = cupy), float64, measured now."""
    rng = np.random.default_rng(0)
    A, B = (xnp.asarray(rng.standard_normal((2048, 2048))) for _ in range(2))

    def timed(fn):
        def run():
            fn()
            sync()
        return _best(run, 3)[0]

    A @ B
    gemm = 2 * 2048**3 / timed(lambda: A @ B) / 1e9
    big = xnp.asarray(rng.standard_normal(2**25))  # 256 MiB
    bw = big.nbytes / timed(lambda: big.sum()) / 1e9
    return gemm, bw


# -- the inputs ----------------------------------------------------------------------------------------------
def inputs(n, d, N, n3, m2, d3):
    rng = np.random.default_rng(1)
    X, Xf, Xv = (rng.standard_normal((n, d)) for _ in range(3))
    beta = rng.standard_normal(d)
    beta /= np.linalg.norm(beta)
    y, yf, yv = (np.tanh(Z @ beta) + 0.5 * (Z @ beta) ** 2 for Z in (X, Xf, Xv))
    W0 = rng.standard_normal((d, N))
    W0 /= np.linalg.norm(W0, axis=0, keepdims=True)  # MLHD23: neurons on the unit sphere
    a = rng.standard_normal(N) / math.sqrt(N)
    X3, X3b, Xt3 = (rng.standard_normal((n3, d3)) for _ in range(3))
    X3v = rng.standard_normal((n3 // 8, d3))
    # a quadratic feature h*(x) = (Σ_{i<8} x_i² − 8)/4 (NDL23's class, g* = identity): learnable at these n,
    # so the (slope, λ) selection is not a near-tie that rounding could flip between implementations
    y3, y3b, y3v = (((Z[:, :8] ** 2).sum(axis=1) - 8.0) / 4.0 for Z in (X3, X3b, X3v))
    return dict(X=X, y=y, Xf=Xf, yf=yf, Xv=Xv, yv=yv, W0=W0, a=a, X3=X3, y3=y3, X3b=X3b, y3b=y3b, X3v=X3v, y3v=y3v,
                Xt3=Xt3)


# -- hand-written NumPy --------------------------------------------------------------------------------------
def np_one_step(D, chunk, xnp=np):
    X, y, W0, a = D["X"], D["y"], D["W0"], D["a"]
    n = X.shape[0]
    G = xnp.zeros_like(W0)
    for s in range(0, n, chunk):
        Xc, yc = X[s:s + chunk], y[s:s + chunk]
        G += (Xc * yc[:, None]).T @ (Xc @ W0 > 0)
    G *= a[None, :] / n
    W = W0 + ETA * G
    N = W.shape[1]
    FtF, Fty = xnp.zeros((N, N)), xnp.zeros(N)
    for s in range(0, n, chunk):
        F = xnp.maximum(D["Xf"][s:s + chunk] @ W, 0.0)
        FtF += F.T @ F
        Fty += F.T @ D["yf"][s:s + chunk]
    FtF /= n
    Fty /= n
    ev, V = xnp.linalg.eigh(FtF)
    C = V @ ((V.T @ Fty)[:, None] / (ev[:, None] + xnp.asarray(LAMBDAS)[None, :]))  # N × L coefficients
    err = xnp.zeros(len(LAMBDAS))
    for s in range(0, n, chunk):
        F = xnp.maximum(D["Xv"][s:s + chunk] @ W, 0.0)
        err += ((D["yv"][s:s + chunk, None] - F @ C) ** 2).sum(axis=0)
    err /= n
    j = int(xnp.argmin(err))
    return float(LAMBDAS[j]), C[:, j]


def np_spectrum(D, chunk, xnp=np):
    out = []
    for W in (D["W0"], D["W0"] + 0.5 * D["W0"][:, ::-1]):
        N = W.shape[1]
        FtF = xnp.zeros((N, N))
        for s in range(0, D["Xf"].shape[0], chunk):
            F = xnp.maximum(D["Xf"][s:s + chunk] @ W, 0.0)
            FtF += F.T @ F
        out.append(xnp.sqrt(xnp.maximum(xnp.linalg.eigvalsh(FtF)[::-1][:6], 0.0)))
    return out


def np_three_layer(P, D, chunk, chunk2, xnp=np):
    """NDL23 Algorithm 1 with featlearn's conventions: stage 1 (one step on W from 0, centred labels), the
    learned feature φ̂ = gᵀσ2(Vx)/m2, stage 2 = ridge on σ1(slope·z cᵀ + b)/m1 for every (slope, λ) of the
    grid, λ relative to tr(G)/m1 and at or above the conditioning floor, chosen on validation; test predictions."""
    V, a, b0, b = P["V"], P["a"], P["b0"], P["b"]
    X, y = D["X3"], D["y3"]
    n, m2, m1 = X.shape[0], V.shape[0], a.shape[0]
    sf, syf, sy = xnp.zeros(m2), xnp.zeros(m2), 0.0
    for s in range(0, n, chunk):
        F = xnp.maximum(X[s:s + chunk] @ V.T, 0.0)
        sf += F.sum(axis=0)
        syf += y[s:s + chunk] @ F
        sy += y[s:s + chunk].sum()
    g = (syf - sy / n * sf) / n

    def phi(Z):
        return xnp.concatenate([xnp.maximum(Z[s:s + chunk] @ V.T, 0.0) @ g for s in range(0, len(Z), chunk)]) / m2

    p2, pv, pt = phi(D["X3b"]), phi(D["X3v"]), phi(D["Xt3"])
    center, scale, off = p2.mean(), p2.std(), float(D["y3b"].mean())
    c = a * (b0 > 0)
    y2, yv = D["y3b"] - off, D["y3v"] - off
    kappa = 1.0 / math.sqrt(np.finfo(np.float64).eps)
    best = None
    for sl in SLOPES:
        def hidden(p, sl=sl):  # bind this slope (the closure outlives the loop)
            return xnp.maximum(xnp.outer(sl * (p - center) / scale, c) + b, 0.0) / m1

        G, r = xnp.zeros((m1, m1)), xnp.zeros(m1)
        for s in range(0, n, chunk2):
            H = hidden(p2[s:s + chunk2])
            G += H.T @ H
            r += H.T @ y2[s:s + chunk2]
        ev, U = xnp.linalg.eigh(G / n)
        ev = xnp.maximum(ev, 0.0)
        lam = xnp.asarray(REL_LAMBDAS) * ev.sum() / m1
        C = U @ ((U.T @ (r / n))[:, None] / (ev[:, None] + lam[None, :]))
        err = ((yv[:, None] - hidden(pv) @ C) ** 2).mean(axis=0)
        floor = max(float((ev.max() - kappa * ev.min()) / (kappa - 1.0)), 0.0)
        j = min((j for j in range(len(lam)) if float(lam[j]) >= floor), key=lambda j: float(err[j]))
        if best is None or float(err[j]) < best[0]:
            best = (float(err[j]), hidden, C[:, j])
    return best[1](pt) @ best[2] + off


# -- hand-written PyTorch (same algorithms) -------------------------------------------------------------------
def torch_fns(torch, device="cpu"):
    def t(a):  # inputs are moved to the device before the clock starts (see main); this is then a no-op
        return a if torch.is_tensor(a) else torch.as_tensor(a, device=device)

    def one_step(D, chunk):
        X, y, W0, a = t(D["X"]), t(D["y"]), t(D["W0"]), t(D["a"])
        n = X.shape[0]
        G = torch.zeros_like(W0)
        for s in range(0, n, chunk):
            Xc, yc = X[s:s + chunk], y[s:s + chunk]
            G += (Xc * yc[:, None]).T @ (Xc @ W0 > 0).to(X.dtype)
        W = W0 + ETA * G * a[None, :] / n
        N = W.shape[1]
        FtF, Fty = torch.zeros((N, N), dtype=X.dtype, device=X.device), torch.zeros(N, dtype=X.dtype, device=X.device)
        Xf, yf = t(D["Xf"]), t(D["yf"])
        for s in range(0, n, chunk):
            F = torch.relu(Xf[s:s + chunk] @ W)
            FtF += F.T @ F
            Fty += F.T @ yf[s:s + chunk]
        ev, V = torch.linalg.eigh(FtF / n)
        lam = t(LAMBDAS)
        C = V @ ((V.T @ (Fty / n))[:, None] / (ev[:, None] + lam[None, :]))
        err = torch.zeros(len(LAMBDAS), dtype=X.dtype, device=X.device)
        Xv, yv = t(D["Xv"]), t(D["yv"])
        for s in range(0, n, chunk):
            F = torch.relu(Xv[s:s + chunk] @ W)
            err += ((yv[s:s + chunk, None] - F @ C) ** 2).sum(dim=0)
        j = int(torch.argmin(err))
        return float(LAMBDAS[j]), C[:, j].cpu().numpy()

    def spectrum(D, chunk):
        out = []
        Xf = t(D["Xf"])
        for W in (t(D["W0"]), t(D["W0"]) + 0.5 * torch.flip(t(D["W0"]), dims=[1])):
            N = W.shape[1]
            FtF = torch.zeros((N, N), dtype=Xf.dtype, device=Xf.device)
            for s in range(0, Xf.shape[0], chunk):
                F = torch.relu(Xf[s:s + chunk] @ W)
                FtF += F.T @ F
            out.append(torch.sqrt(torch.clamp(torch.linalg.eigvalsh(FtF).flip(0)[:6], min=0.0)).cpu().numpy())
        return out

    def three_layer(P, D, chunk, chunk2):
        V, a, b0, b = (t(P[k]) for k in ("V", "a", "b0", "b"))
        X, y = t(D["X3"]), t(D["y3"])
        n, m2, m1 = X.shape[0], V.shape[0], a.shape[0]
        sf, syf, sy = (torch.zeros(m2, dtype=X.dtype, device=X.device), torch.zeros(m2, dtype=X.dtype, device=X.device),
                       0.0)
        for s in range(0, n, chunk):
            F = torch.relu(X[s:s + chunk] @ V.T)
            sf += F.sum(dim=0)
            syf += y[s:s + chunk] @ F
            sy += float(y[s:s + chunk].sum())
        g = (syf - sy / n * sf) / n

        def phi(Z):
            return torch.cat([torch.relu(Z[s:s + chunk] @ V.T) @ g for s in range(0, len(Z), chunk)]) / m2

        p2, pv, pt = phi(t(D["X3b"])), phi(t(D["X3v"])), phi(t(D["Xt3"]))
        center, scale, off = p2.mean(), p2.std(correction=0), float(D["y3b"].mean())
        c = a * (b0 > 0).to(a.dtype)
        y2, yv = t(D["y3b"]) - off, t(D["y3v"]) - off
        kappa = 1.0 / math.sqrt(torch.finfo(torch.float64).eps)
        rel = t(REL_LAMBDAS)
        best = None
        for sl in SLOPES:
            def hidden(p, sl=sl):  # bind this slope (the closure outlives the loop)
                return torch.relu(torch.outer(sl * (p - center) / scale, c) + b) / m1

            G, r = (torch.zeros((m1, m1), dtype=X.dtype, device=X.device),
                    torch.zeros(m1, dtype=X.dtype, device=X.device))
            for s in range(0, n, chunk2):
                H = hidden(p2[s:s + chunk2])
                G += H.T @ H
                r += H.T @ y2[s:s + chunk2]
            ev, U = torch.linalg.eigh(G / n)
            ev = torch.clamp(ev, min=0.0)
            lam = rel * ev.sum() / m1
            C = U @ ((U.T @ (r / n))[:, None] / (ev[:, None] + lam[None, :]))
            err = ((yv[:, None] - hidden(pv) @ C) ** 2).mean(dim=0)
            floor = max(float((ev.max() - kappa * ev.min()) / (kappa - 1.0)), 0.0)
            j = min((j for j in range(len(lam)) if float(lam[j]) >= floor), key=lambda j: float(err[j]))
            if best is None or float(err[j]) < best[0]:
                best = (float(err[j]), hidden, C[:, j])
        return (best[1](pt) @ best[2] + off).cpu().numpy()

    return one_step, spectrum, three_layer


# -- featlearn -----------------------------------------------------------------------------------------------
def fl_one_step(xp, D, chunk):
    from featlearn.theory.activations import as_activation

    net = TwoLayerNetwork(W=xp.asarray(D["W0"]), a=xp.asarray(D["a"]), activation=as_activation("relu"),
                          parametrization=get_parametrization("moniri"))
    grad = one_step_gradient(net, (xp.asarray(D["X"]), xp.asarray(D["y"])), chunk=chunk)
    stepped = apply_step(net, grad, ETA)
    (train,) = feature_stats(stepped, (xp.asarray(D["Xf"]), xp.asarray(D["yf"])), chunk=chunk)
    path = RidgePath(train[0])
    # validation errors of the whole λ grid by streaming F_val·C, as the hand-written scripts (and alpha_sweep) do
    verr = validation_errors(stepped, path, DEFAULT_LAMBDAS, (xp.asarray(D["Xv"]), xp.asarray(D["yv"])), chunk=chunk)
    fit = fit_second_layer(train, DEFAULT_LAMBDAS, val_errors=verr, path=path)
    return fit.lam, to_host(fit.coef)


def fl_spectrum(xp, D, chunk):
    from featlearn.theory.activations import as_activation

    relu = as_activation("relu")
    nets = [TwoLayerNetwork(W=xp.asarray(W), a=xp.asarray(D["a"]), activation=relu, parametrization=get_parametrization("moniri"))
            for W in (D["W0"], D["W0"] + 0.5 * xp.flip(D["W0"], axis=1))]
    stats = spectral_stats(nets, (xp.asarray(D["Xf"]), xp.asarray(D["yf"])), chunk=chunk)
    # the top singular value of F₀ is its bulk edge (what spike_sweep's bulk_edge returns); no second solve
    rng = Generator(0, xp=xp).child("spectrum")  # the eigensolver's start blocks (used above its DENSE_MAX)
    return [np.asarray(top_spectrum(s, 6, rng=rng.child(i)).singular_values) for i, s in enumerate(stats)]


def fl_three_layer(xp, net, D):
    net.stage1((xp.asarray(D["X3"]), xp.asarray(D["y3"])))
    net.stage2((xp.asarray(D["X3b"]), xp.asarray(D["y3b"])), (xp.asarray(D["X3v"]), xp.asarray(D["y3v"])),
               slopes=SLOPES, lambdas=tuple(REL_LAMBDAS))
    return to_host(net.predict(xp.asarray(D["Xt3"])))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="small", choices=sorted(SIZES))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    ap.add_argument("--out", default=None)
    ap.add_argument("--gpu", action="store_true",
                    help="featlearn on CuPy against the same scripts on CuPy and on torch-CUDA (inputs moved first)")
    a = ap.parse_args(argv)
    sz = SIZES[a.size]
    n, d, N, n3, m2, d3, chunk = sz["n"], sz["d"], sz["N"], sz["n3"], sz["m2"], sz["d3"], a.chunk
    D = inputs(n, d, N, n3, m2, d3)
    if a.gpu:
        import cupy as xnp

        xp = get_namespace("cupy")
        sync = xnp.cuda.Device().synchronize
    else:
        xnp, xp, sync = np, get_namespace("numpy"), (lambda: None)
    gemm, bw = machine_rates(xnp, sync)
    Dx = {k: xnp.asarray(v) for k, v in D.items()}  # on the device before any clock starts
    try:
        import torch

        dev = "cuda" if a.gpu else "cpu"
        torch.set_num_threads(os.cpu_count() or 1)
        t_one, t_spec, t_three = torch_fns(torch, dev)
        Dt = {k: torch.as_tensor(v, device=dev) for k, v in D.items()}
        torch_version = torch.__version__
    except ImportError:
        torch = None
        torch_version = "not installed"

    net3 = ThreeLayerNetwork(M1, m2, sigma2="relu").init(Generator(0, xp=xp).child("init"), d3)
    P3 = {k: to_host(getattr(net3, k + "_")) for k in ("V", "a", "b0", "b")}
    P3x = {k: xnp.asarray(v) for k, v in P3.items()}
    P3t = {k: torch.as_tensor(v, device=dev) for k, v in P3.items()} if torch else None

    def host(out):
        """Outputs on the host (this synchronises a GPU): arrays, or tuples/lists of them."""
        if isinstance(out, (tuple, list)):
            return type(out)(host(o) for o in out)
        return out.get() if hasattr(out, "get") and not isinstance(out, dict) else out
    rows = []

    def race(name, fl, hand_np, hand_torch, flops, nbytes, agree):
        times = {"featlearn": math.inf, "numpy": math.inf, "torch": math.inf}
        outs = {}
        for _ in range(a.repeats):  # alternate, so drifts of the machine hit all three alike
            for who, fn in (("featlearn", fl), ("numpy", hand_np), ("torch", hand_torch)):
                if fn is None:
                    continue
                sync()
                t = time.perf_counter()
                outs[who] = host(fn())
                times[who] = min(times[who], time.perf_counter() - t)
        roof = max(flops / (gemm * 1e9), nbytes / (bw * 1e9))
        err = {who: agree(outs["featlearn"], o) for who, o in outs.items() if who != "featlearn"}
        rows.append((name, flops, nbytes, roof, times, err))

    def agree_one(x, y):
        return abs(x[0] - y[0]) / x[0] + float(np.linalg.norm(x[1] - y[1]) / np.linalg.norm(y[1]))

    def agree_spec(x, y):
        return max(float(np.max(np.abs(np.asarray(x[i]) - np.asarray(y[i])) / np.asarray(y[i]))) for i in (0, 1))

    def agree_three(x, y):
        return float(np.linalg.norm(x - y) / np.linalg.norm(y))

    race("one-step (step + ridge statistics + 25-λ ridge)",
         lambda: fl_one_step(xp, Dx, chunk), lambda: np_one_step(Dx, chunk, xnp),
         (lambda: t_one(Dt, chunk)) if torch else None,
         flops=2 * n * d * N * 2 + 2 * n * d * N + 2 * n * N * N + 2 * n * d * N + 2 * n * N * len(LAMBDAS)
         + 10 * N**3,
         nbytes=8 * (3 * n * d + 6 * n * N + 2 * N * N), agree=agree_one)
    race("spike spectrum (top 6 singular values of F and F₀)",
         lambda: fl_spectrum(xp, Dx, chunk), lambda: np_spectrum(Dx, chunk, xnp),
         (lambda: t_spec(Dt, chunk)) if torch else None,
         flops=2 * (2 * n * d * N + 2 * n * N * N) + 2 * 10 * N**3, nbytes=8 * (2 * n * d + 4 * n * N + 2 * N * N),
         agree=agree_spec)
    c3, c3b = net3.chunk, net3.chunk2  # the same chunking for all three
    rows3 = 3 * n3 + n3 // 8  # D1, D2, test (n3 each) and validation (n3/8) pass through σ2(XVᵀ)
    L, S = len(REL_LAMBDAS), len(SLOPES)
    race(f"three-layer layer-wise fit (stage 1, φ̂, stage 2: {S} slopes × {L} λ, m1 = {M1})",
         lambda: fl_three_layer(xp, net3, Dx), lambda: np_three_layer(P3x, Dx, c3, c3b, xnp),
         (lambda: t_three(P3t, Dt, c3, c3b)) if torch else None,
         # stage 1 and φ̂: 2·rows·d·m2 for XVᵀ and 2·rows·m2 for the sums / gᵀσ2; stage 2 per slope: the
         # symmetric product HᵀH (n·m1², half of a general product), H_val·C and one m1 × m1 eigh
         flops=2 * rows3 * d3 * m2 + 2 * rows3 * m2 + S * (n3 * M1 * M1 + 2 * (n3 // 8) * M1 * L + 10 * M1**3),
         nbytes=8 * (rows3 * d3 + 2 * rows3 * m2 + S * 2 * (n3 + n3 // 8) * M1), agree=agree_three)

    where = "GPU: featlearn on CuPy, the NumPy script on CuPy, PyTorch on CUDA" if a.gpu else "CPU"
    lines = [f"# The race: featlearn vs hand-written NumPy and PyTorch ({a.size}, {where}, float64)", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}; Python "
             f"{platform.python_version()}, NumPy {np.__version__}, PyTorch {torch_version}. Measured here: GEMM "
             f"{gemm:.1f} GFLOP/s (2048³ float64), streaming {bw:.1f} GB/s. Sizes: n = {n}, d = N = {d}, "
             f"three-layer n = {n3}, d = {d3}, m1 = {M1}, m2 = {m2}; chunk = {chunk} (three-layer: its defaults); "
             f"{a.repeats} alternating repeats, minimum kept.",
             f"Command: `python benchmarks/race.py {' '.join(argv if argv is not None else sys.argv[1:])}`.", ""]
    table = []
    for name, flops, nbytes, roof, t, err in rows:
        f = t["featlearn"]
        tt = t["torch"]
        table.append([name, f"{f:.3f}", f"{t['numpy']:.3f}", f"{tt:.3f}", f"{f / t['numpy']:.2f}",
                      f"{(f / tt) if math.isfinite(tt) else float('nan'):.2f}", f"{roof:.3f}", f"{f / roof:.2f}",
                      f"{max(err.values()):.1e}"])
    lines += [markdown_table(["workload", "featlearn s", "NumPy s", "PyTorch s", "featlearn/NumPy", "featlearn/PyTorch",
                              "roofline s", "featlearn/roofline", "max rel. difference of outputs"], table), "", "Roofline model: flops = the matrix products of the ideal algorithm (2mnk each; ~10N³ for one "
              "symmetric eigendecomposition); bytes = one read of each input matrix plus one write and one read of "
              "each m × N activation matrix. The outputs of the three implementations must agree to rounding; the "
              "last column shows it."]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        write_atomic(a.out, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
