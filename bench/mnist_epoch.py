# numpy reference for bench/mnist-epoch.ts: read the MNIST IDX files, then one shuffled
# epoch of float32 batches of 128 scaled to [0, 1]. Prints JSON with the times in ms.
import json, sys, time
import numpy as np

data_dir = sys.argv[1]
t0 = time.perf_counter()
with open(f"{data_dir}/train-images-idx3-ubyte", "rb") as f:
    raw = f.read()
images = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 28, 28, 1)
with open(f"{data_dir}/train-labels-idx1-ubyte", "rb") as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int32)
t1 = time.perf_counter()
order = np.random.default_rng(1).permutation(len(images))
n = 0
for start in range(0, len(images), 128):
    idx = order[start:start + 128]
    x = images[idx].astype(np.float32) / 255.0
    y = labels[idx]
    n += len(x)
t2 = time.perf_counter()
print(json.dumps({"load_ms": (t1 - t0) * 1e3, "epoch_ms": (t2 - t1) * 1e3, "examples": n}))
