"""Benchmark: one training epoch of the 784-50-10 MLP (forward, cross-entropy, backward, SGD step) in pure Python,
(a) with miniai.autograd and miniai.modules, (b) written out by hand with the fastest plain-list code we found, and
(c) with torch (float32, one thread) for scale. All three start from the same weights and see the same batches.

Each repeat runs a and b (alternating which goes first); the JSON gives median wall-clock and CPU times, the ratio
a/b of the medians (goal: at most 1.5), the median of per-repeat ratios, and multiply-adds per second. After the
timed runs it checks that a and b ended with the same weights (to 1e-9): the two are the same computation.

Data: the first --n MNIST training images from load_mnist (the full set, else miniai's bundled sample, which has 2,000).
Usage: python bench/autograd.py [--n 5000] [--repeats 3] [--bs 64]
"""
import argparse, json, math, os, platform, statistics, time
from operator import mul
from miniai import autograd as ag
from miniai.modules import Linear, ReLU, Sequential, SGD

LR = 0.1

def load(n: int):
    "The first n training images (fewer if the data has fewer) as 784-byte rows with their labels, and which data they came from."
    from miniai.data import load_mnist
    mnist = load_mnist()
    px, labels = mnist.raw['train_images'][1], mnist.raw['train_labels'][1]
    n = min(n, len(labels))
    return [px[i * 784:(i + 1) * 784] for i in range(n)], list(labels[:n]), 'mnist sample' if mnist.sample else 'mnist'

def init_weights(seed=0):
    "Kaiming-normal weights in torch's (out, in) layout and zero biases, from miniai's generator."
    from miniai.rng import WichmannHill
    g = WichmannHill(seed)
    return [Linear(784, 50, gen=g), Linear(50, 10, gen=g)]

# (a) miniai.autograd
def epoch_autograd(model, opt, xs, ys, bs):
    for i in range(0, len(xs), bs):
        xb = ag.tensor(xs[i:i + bs])
        loss = ag.cross_entropy(model(xb), ys[i:i + bs])
        loss.backward()
        opt.step(); opt.zero_grad()

# (b) by hand, plain lists: weights kept as rows (out, in), so every product is one sum(map(mul)) over two lists
def epoch_hand(W1, b1, W2, b2, xs, ys, bs):
    for i in range(0, len(xs), bs):
        xb, yb = xs[i:i + bs], ys[i:i + bs]
        n = len(xb)
        z1 = [[sum(map(mul, x, w)) + b for w, b in zip(W1, b1)] for x in xb]
        h = [[v if v > 0 else 0.0 for v in z] for z in z1]
        out = [[sum(map(mul, r, w)) + b for w, b in zip(W2, b2)] for r in h]
        d_out = []
        for o, y in zip(out, yb):  # softmax minus one-hot, over the batch
            m = max(o); e = [math.exp(v - m) for v in o]; s = sum(e)
            g = [v / s / n for v in e]; g[y] -= 1 / n
            d_out.append(g)
        d_outT, hT = list(zip(*d_out)), list(zip(*h))
        dW2 = [[sum(map(mul, dc, hc)) for hc in hT] for dc in d_outT]
        db2 = list(map(sum, d_outT))
        W2T = list(zip(*W2))
        dh = [[sum(map(mul, g, wc)) if v > 0 else 0.0 for wc, v in zip(W2T, z)] for g, z in zip(d_out, z1)]
        dhT, xT = list(zip(*dh)), list(zip(*xb))
        dW1 = list(zip(*[[sum(map(mul, dc, xc)) for dc in dhT] for xc in xT]))  # this loop order is ~2x faster
        db1 = list(map(sum, dhT))
        for W, dW in ((W1, dW1), (W2, dW2)):
            for w, dw in zip(W, dW): w[:] = [a - LR * b for a, b in zip(w, dw)]
        for b, db in ((b1, db1), (b2, db2)): b[:] = [a - LR * c for a, c in zip(b, db)]

def epoch_torch(model, opt, x, y, bs):
    import torch.nn.functional as F
    for i in range(0, len(x), bs):
        loss = F.cross_entropy(model(x[i:i + bs]), y[i:i + bs])
        loss.backward(); opt.step(); opt.zero_grad()

def timed(f, *args):
    t0, c0 = time.perf_counter(), time.process_time()
    f(*args)
    return time.perf_counter() - t0, time.process_time() - c0

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=5000); p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--bs', type=int, default=64)
    a = p.parse_args()
    raw, ys, source = load(a.n)
    xs = [[v / 256 for v in r] for r in raw]
    res = {'a': [], 'b': [], 'c': []}
    for rep in range(a.repeats):
        l1, l2 = init_weights(rep)
        model = Sequential(l1, ReLU(), l2)
        hand = [[r[:] for r in l1.weight.tolist()], l1.bias.tolist(), [r[:] for r in l2.weight.tolist()], l2.bias.tolist()]
        runs = [('a', lambda: timed(epoch_autograd, model, SGD(model.parameters(), LR), xs, ys, a.bs)),
                ('b', lambda: timed(epoch_hand, *hand, xs, ys, a.bs))]
        for k, run in (runs if rep % 2 == 0 else runs[::-1]): res[k].append(run())
        diff = max(abs(u - v) for p_, h in zip(model.parameters(), hand) for u, v in zip(p_.data, sum(h, []) if isinstance(h[0], list) else h))
        assert diff < 1e-9, f'autograd and hand-written epochs disagree by {diff}'
    import torch
    torch.set_num_threads(1)
    l1, l2 = init_weights(0)
    tm = torch.nn.Sequential(torch.nn.Linear(784, 50), torch.nn.ReLU(), torch.nn.Linear(50, 10))
    with torch.no_grad():
        for tl, ml in ((tm[0], l1), (tm[2], l2)): tl.weight.copy_(torch.tensor(ml.weight.tolist())); tl.bias.zero_()
    x, y = torch.tensor(xs), torch.tensor(ys)
    for _ in range(a.repeats): res['c'].append(timed(epoch_torch, tm, torch.optim.SGD(tm.parameters(), LR), x, y, a.bs))
    med = {k: (statistics.median(t for t, _ in v), statistics.median(c for _, c in v)) for k, v in res.items()}
    madds = a.n * 3 * (784 * 50 + 50 * 10)  # forward, and two products per layer backward (dx skipped for the input)
    madds -= a.n * 784 * 50  # the input needs no gradient: backward does dW1 only
    print(json.dumps({
        'bench': 'one epoch of a 784-50-10 MLP in pure Python', 'data': source, 'n_images': a.n, 'bs': a.bs,
        'repeats': a.repeats, 'python': platform.python_version(),
        'a_miniai_autograd_s': round(med['a'][0], 3), 'b_hand_written_s': round(med['b'][0], 3),
        'c_torch_s': round(med['c'][0], 4),
        'ratio': round(med['a'][0] / med['b'][0], 3),
        'ratio_per_repeat_median': round(statistics.median(ta / tb for (ta, _), (tb, _) in zip(res['a'], res['b'])), 3),
        'ratio_cpu': round(med['a'][1] / med['b'][1], 3),
        'a_madds_per_s': round(madds / med['a'][0]), 'b_madds_per_s': round(madds / med['b'][0]),
        'a_s_per_50k_images': round(med['a'][0] * 50_000 / a.n, 1), 'b_s_per_50k_images': round(med['b'][0] * 50_000 / a.n, 1),
        'c_over_b': round(med['c'][0] / med['b'][0], 4),
        'loadavg_1min': round(os.getloadavg()[0], 2)}, indent=1))

if __name__ == '__main__': main()
