# numpy reference for bench/autoencoder-step.ts: the main job's MLP autoencoder
# (784-512-256-16, ReLU, sigmoid output) trained by hand-written backpropagation in
# float32 with the same loss (MSE + 1e-5 * mean |z|_1) and the same Adam form. Reads the
# initial weights and the batch the TypeScript bench wrote, takes 5 steps (their losses
# check the gradients: they must match tfjs's), then times `steps` more.
#   python3 bench/autoencoder_step_numpy.py DIR STEPS   -> JSON on stdout
import json, statistics, sys, time
import numpy as np

d, steps = sys.argv[1], int(sys.argv[2])
meta = json.load(open(f"{d}/meta.json"))
flat = np.fromfile(f"{d}/weights.bin", dtype=np.float32)
params, at = [], 0
for shape in meta["shapes"]:
    n = int(np.prod(shape))
    params.append(flat[at:at + n].reshape(shape).copy())
    at += n
x = np.fromfile(f"{d}/batch.bin", dtype=np.float32).reshape(meta["batch"], 784)
lam, lr, b1, b2, eps = 1e-5, 1e-3, 0.9, 0.999, 1e-8
m = [np.zeros_like(p) for p in params]
v = [np.zeros_like(p) for p in params]
t = 0
acts = ["relu", "relu", "linear", "relu", "relu", "sigmoid"]

def step():
    global t
    hs, pre = [x], []
    for i, act in enumerate(acts):
        a = hs[-1] @ params[2 * i] + params[2 * i + 1]
        pre.append(a)
        hs.append(np.maximum(a, 0) if act == "relu" else (1 / (1 + np.exp(-a)) if act == "sigmoid" else a))
    r, z, n = hs[-1], hs[3], x.shape[0]
    loss = float(np.mean((r - x) ** 2) + lam * np.mean(np.abs(z).sum(1)))
    g = 2 * (r - x) / r.size * r * (1 - r)  # through the sigmoid
    grads = [None] * len(params)
    for i in range(5, -1, -1):
        grads[2 * i] = hs[i].T @ g
        grads[2 * i + 1] = g.sum(0)
        if i == 0:
            break
        g = g @ params[2 * i].T
        if i == 3:
            g = g + lam * np.sign(z) / n  # the code penalty joins at z
        if acts[i - 1] == "relu":
            g = g * (pre[i - 1] > 0)
    t += 1
    c2 = np.sqrt(1 - b2 ** t)
    alpha = lr * c2 / (1 - b1 ** t)
    for k, p in enumerate(params):
        gk = grads[k].astype(np.float32)
        m[k] = b1 * m[k] + (1 - b1) * gk
        v[k] = b2 * v[k] + (1 - b2) * gk * gk
        p -= (alpha * m[k] / (np.sqrt(v[k]) + eps * c2)).astype(np.float32)
    return loss

losses = [step() for _ in range(5)]
ms = []
for _ in range(steps):
    t0 = time.perf_counter()
    step()
    ms.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"losses": losses, "msPerStep": statistics.median(ms), "numpy": np.__version__}))
