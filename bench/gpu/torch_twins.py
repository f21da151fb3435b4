#!/usr/bin/env python3
"""PyTorch (CUDA) references for bench/gpu/gpu-bench.ts. Each subcommand prints JSON lines; the last one is the result.

  matmul --n 4096                 fp32 (and TF32) n^3 matrix product, GFLOP/s
  assign --configs JSON           argmax_j <x_i, y_j> + h_j on the files gpu-bench.ts wrote (x.f32, y.f32, h.f32,
                                  idx.i32 = aeot's answer): tiled addmm + max over 8192 targets at a time (memory
                                  N x 8192 floats), fp32 and TF32; pairs/s of one call including the read-back of the
                                  N indices (as gpu-bench.ts times aeot); float64 check of both answers.
  sdot --y FILE --m M --d d --steps S --batch B --lr LR --mass-samples K
                                  the authors' algorithm (../shared/bench/numpy_sdot.py: Monte Carlo + Adam, start from
                                  the Voronoi cells of the targets shrunk into the cube) on the GPU, then the cell
                                  masses on K fresh samples.
  ae --batches 128 --steps 20 --nets mlp,conv28
                                  bench/autoencoder_step_torch.py (the CPU twin of bench/autoencoder-step.ts) as is.
All take --device (default cuda when available). fp32 matmuls run with TF32 off unless a row says tf32.
"""
import argparse, json, os, runpy, statistics, sys, time

import numpy as np
import torch

p = argparse.ArgumentParser()
p.add_argument('cmd', choices=['matmul', 'assign', 'sdot', 'ae'])
p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
p.add_argument('--n', type=int, default=4096)
p.add_argument('--configs', default='[]')
p.add_argument('--reps', type=int, default=10)
p.add_argument('--tile', type=int, default=8192)
p.add_argument('--y')
p.add_argument('--m', type=int)
p.add_argument('--d', type=int)
p.add_argument('--steps', type=int, default=1000)
p.add_argument('--batch', type=int, default=16384)
p.add_argument('--lr', type=float, default=0.005)
p.add_argument('--mass-samples', type=int, default=10_000_000)
p.add_argument('--batches', default='128')
p.add_argument('--nets', default='mlp,conv28')
a = p.parse_args()
dev = torch.device(a.device)
cuda = dev.type == 'cuda'
if not cuda:
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
info = {'torch': torch.__version__, 'device': torch.cuda.get_device_name() if cuda else 'cpu'}


def sync():
    if cuda:
        torch.cuda.synchronize()


def set_tf32(on):
    torch.backends.cuda.matmul.allow_tf32 = on
    torch.backends.cudnn.allow_tf32 = on


def timed(fn, reps, warm=2):
    for _ in range(warm):
        fn()
    sync()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        sync()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), min(ts)


def assign(X, Y, h, tile):
    """Index of argmax_j <x_i, y_j> + h_j, tiled over targets (memory N x tile)."""
    best = torch.full((X.shape[0],), -float('inf'), device=X.device, dtype=X.dtype)
    idx = torch.zeros(X.shape[0], device=X.device, dtype=torch.int64)
    for s in range(0, Y.shape[0], tile):
        S = torch.addmm(h[s:s + tile], X, Y[s:s + tile].T)
        v, j = S.max(1)
        u = v > best
        best = torch.where(u, v, best)
        idx = torch.where(u, j + s, idx)
    return idx


def cmd_matmul():
    n = a.n
    A = torch.rand(n, n, device=dev) * 2 - 1
    B = torch.rand(n, n, device=dev) * 2 - 1
    out = dict(info, n=n)
    for name, on in (('fp32', False), ('tf32', True)):
        set_tf32(on)
        med, _ = timed(lambda: (A @ B)[0, :4].cpu(), 5 if cuda else 1)
        out[f'{name}Ms'] = round(med * 1e3, 3)
        out[f'{name}Gflops'] = round(2 * n ** 3 / med / 1e9, 1)
    set_tf32(False)
    print(json.dumps(out))


def cmd_assign():
    rows = []
    for c in json.loads(a.configs):
        N, M, d, path = c['N'], c['M'], c['d'], c['dir']
        row = {'N': N, 'M': M, 'd': d}
        try:
            X = torch.from_numpy(np.fromfile(os.path.join(path, 'x.f32'), np.float32).reshape(N, d)).to(dev)
            Y = torch.from_numpy(np.fromfile(os.path.join(path, 'y.f32'), np.float32).reshape(M, d)).to(dev)
            h = torch.from_numpy(np.fromfile(os.path.join(path, 'h.f32'), np.float32)).to(dev)
            res = {}
            for name, on in (('fp32', False), ('tf32', True)):
                set_tf32(on)
                med, mn = timed(lambda: res.__setitem__(name, assign(X, Y, h, a.tile).cpu()), a.reps if cuda else 1, 2 if cuda else 0)
                row[f'{name}Ms'] = round(med * 1e3, 3)
                row[f'{name}MinMs'] = round(mn * 1e3, 3)
                row[f'{name}PairsPerS'] = N * M / med
            set_tf32(False)
            # float64 check: the exact best, and how far each fp32 answer's exact score is from it.
            X64, Y64, h64 = X.double(), Y.double(), h.double()
            best64 = assign(X64, Y64, h64, a.tile)
            exact = lambda j: (X64 * Y64[j]).sum(1) + h64[j]
            top = exact(best64)
            t32 = res['fp32'].to(dev)
            row['torchAgreesFp64'] = float((t32 == best64).double().mean())
            row['torchMaxScoreGap'] = float((top - exact(t32)).max())
            ip = os.path.join(path, 'idx.i32')
            if os.path.exists(ip):
                ia = torch.from_numpy(np.fromfile(ip, np.int32).astype(np.int64)).to(dev)
                row['aeotAgreesTorch'] = float((ia == t32).double().mean())
                row['aeotAgreesFp64'] = float((ia == best64).double().mean())
                row['aeotMaxScoreGap'] = float((top - exact(ia)).max())
                row['aeotIndicesInRange'] = bool(((ia >= 0) & (ia < M)).all())
            del X, Y, h, X64, Y64, h64
        except Exception as e:  # record and go on with the next configuration
            row['error'] = f'{type(e).__name__}: {e}'
        print(json.dumps(row), flush=True)
        rows.append(row)
        if cuda:
            torch.cuda.empty_cache()
    print(json.dumps(dict(info, rows=rows)))


def cmd_sdot():
    set_tf32(False)
    M, d = a.m, a.d
    Y = torch.from_numpy(np.fromfile(a.y, np.float32).reshape(M, d)).to(dev)
    gen = torch.Generator(device=dev).manual_seed(0)
    source = lambda n: torch.rand(n, d, device=dev, generator=gen) - 0.5
    nu = torch.full((M,), 1.0 / M, device=dev, dtype=torch.float64)
    sync()
    t0 = time.perf_counter()
    lam = 0.5 / float(Y.abs().max())
    h = -0.5 * lam * (Y * Y).sum(1)
    h -= h.mean()
    m = torch.zeros(M, device=dev, dtype=torch.float64)
    v = torch.zeros(M, device=dev, dtype=torch.float64)
    for t in range(1, a.steps + 1):
        g = torch.bincount(assign(source(a.batch), Y, h, a.tile), minlength=M).double() / a.batch - nu
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        h -= (a.lr * (m / (1 - 0.9 ** t)) / (torch.sqrt(v / (1 - 0.999 ** t)) + 1e-8)).float()
        h -= h.mean()
    sync()
    solve = time.perf_counter() - t0
    cnt = torch.zeros(M, device=dev, dtype=torch.float64)
    gen.manual_seed(1)
    n = a.mass_samples
    t1 = time.perf_counter()
    for s in range(0, n, 262144):
        cnt += torch.bincount(assign(source(min(262144, n - s)), Y, h, a.tile), minlength=M).double()
    rel = (cnt / n) * M - 1
    noise = (M - 1) / n
    sync()
    print(json.dumps(dict(info, M=M, d=d, steps=a.steps, batch=a.batch, lr=a.lr, solveS=round(solve, 3), msPerStep=round(solve * 1e3 / a.steps, 3),
                          massSamples=n, massSeconds=round(time.perf_counter() - t1, 2),
                          meanRelMassErr=round(float(rel.abs().mean()), 4), maxRelMassErr=round(float(rel.abs().max()), 4),
                          rmsRelMassErrNoiseCorrected=round(max(0.0, float((rel * rel).mean()) - noise) ** 0.5, 4),
                          samplingNoiseRms=round(noise ** 0.5, 4), emptyCells=int((cnt == 0).sum()))))


def cmd_ae():
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'autoencoder_step_torch.py')
    set_tf32(False)
    rows = []
    real_stdout = sys.stdout

    class Tee:
        def write(self, s):
            real_stdout.write(s)
            for line in s.splitlines():
                if line.startswith('{'):
                    r = json.loads(line)
                    if 'msPerStep' in r:
                        rows.append(r)

        def flush(self):
            real_stdout.flush()

    sys.argv = [script, '--device', a.device, '--batches', a.batches, '--steps', str(a.steps), '--nets', a.nets]
    sys.stdout = Tee()
    try:
        runpy.run_path(script, run_name='__main__')
    finally:
        sys.stdout = real_stdout
    print(json.dumps(dict(info, rows=rows, script='bench/autoencoder_step_torch.py')))


{'matmul': cmd_matmul, 'assign': cmd_assign, 'sdot': cmd_sdot, 'ae': cmd_ae}[a.cmd]()
