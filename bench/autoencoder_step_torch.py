# PyTorch twin of bench/autoencoder-step.ts: the same two nets (MLP 784-512-256-16 with a
# sigmoid output; the 28x28 DCGAN-style conv net, width 32, BN, LeakyReLU 0.1 / ReLU), the
# same loss (MSE + 1e-5 * mean |z|_1) and Adam, one step per batch with the loss read back
# (.item(), as the TypeScript loop reads it). Prints median ms per step as JSON lines.
#   python3 bench/autoencoder_step_torch.py [--device cuda|cpu] [--batches 128,1024] [--steps 20]
import argparse, json, statistics, time
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
p.add_argument('--batches', default='128')
p.add_argument('--steps', type=int, default=20)
p.add_argument('--nets', default='mlp,conv28')
a = p.parse_args()
dev = torch.device(a.device)
torch.backends.cudnn.benchmark = True

def mlp():
    enc = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 16))
    dec = nn.Sequential(nn.Linear(16, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 784), nn.Sigmoid(), nn.Unflatten(1, (1, 28, 28)))
    return enc, dec

def conv28(w=32, d=16):
    enc = nn.Sequential(nn.Conv2d(1, w, 4, 2, 1), nn.LeakyReLU(0.1), nn.Conv2d(w, 2 * w, 4, 2, 1), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.1), nn.Flatten(), nn.Linear(2 * w * 49, d))
    dec = nn.Sequential(nn.Linear(d, 2 * w * 49), nn.Unflatten(1, (2 * w, 7, 7)), nn.BatchNorm2d(2 * w), nn.ReLU(), nn.ConvTranspose2d(2 * w, w, 4, 2, 1), nn.BatchNorm2d(w), nn.ReLU(), nn.ConvTranspose2d(w, 1, 4, 2, 1), nn.Sigmoid())
    return enc, dec

print(json.dumps({'backend': f'torch {torch.__version__}', 'device': torch.cuda.get_device_name() if dev.type == 'cuda' else 'cpu'}))
for batch in [int(b) for b in a.batches.split(',')]:
    for name in a.nets.split(','):
        enc, dec = (mlp() if name == 'mlp' else conv28())
        enc, dec = enc.to(dev), dec.to(dev)
        opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)
        x = torch.rand(batch, 1, 28, 28, device=dev)
        def step():
            opt.zero_grad(set_to_none=True)
            z = enc(x)
            loss = ((dec(z) - x) ** 2).mean() + 1e-5 * z.abs().sum(1).mean()
            loss.backward()
            v = loss.item()
            opt.step()
            return v
        for _ in range(3):
            step()
        ms = []
        for _ in range(a.steps):
            t0 = time.perf_counter()
            step()
            if dev.type == 'cuda':
                torch.cuda.synchronize()
            ms.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({'net': name, 'batch': batch, 'backend': 'torch', 'msPerStep': round(statistics.median(ms), 2), 'minMs': round(min(ms), 2), 'steps': a.steps}))
