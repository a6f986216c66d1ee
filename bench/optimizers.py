"""Benchmark: one optimizer step of miniai.optimizers against torch.optim (its default single-tensor path on the CPU,
and its multi-tensor `foreach` path), on the parameters of a 784-100-10 MLP and of a wider 784-1000-1000-10 MLP,
with fixed random gradients. Prints JSON with median wall-clock and CPU times per step and the ratios miniai / torch.
Usage: python bench/optimizers.py [--rounds N] [--steps N]"""
import argparse, json, os, platform, statistics, time
from functools import partial
import torch
from miniai import optimizers as mo

OPTS = {  # name: (miniai factory, torch factory)
    'SGD momentum': (partial(mo.SGD, lr=0.01, momentum=0.9), partial(torch.optim.SGD, lr=0.01, momentum=0.9)),
    'RMSProp': (partial(mo.RMSProp, lr=1e-3), partial(torch.optim.RMSprop, lr=1e-3)),
    'Adam': (partial(mo.Adam, lr=1e-3), partial(torch.optim.Adam, lr=1e-3)),
    'AdamW': (partial(mo.AdamW, lr=1e-3), partial(torch.optim.AdamW, lr=1e-3)),
}
MODELS = {'mlp 784-100-10': [784, 100, 10], 'mlp 784-1000-1000-10': [784, 1000, 1000, 10]}

def params(sizes, seed=0):
    "Weights and biases of an MLP with layer `sizes`, each with a fixed random gradient."
    g = torch.Generator().manual_seed(seed)
    ps = []
    for a, b in zip(sizes, sizes[1:]):
        for shape in ((a, b), (b,)):
            p = torch.randn(*shape, generator=g).requires_grad_()
            p.grad = torch.randn(*shape, generator=g)
            ps.append(p)
    return ps

def time_steps(opt, steps):
    "Wall-clock and CPU seconds per `opt.step()`, averaged over `steps` steps."
    t, c = time.perf_counter(), time.process_time()
    for _ in range(steps): opt.step()
    return (time.perf_counter() - t) / steps, (time.process_time() - c) / steps

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=11)
    ap.add_argument('--steps', type=int, default=30)
    args = ap.parse_args()
    torch.set_num_threads(1)
    out = {'machine': platform.machine(), 'python': platform.python_version(), 'torch': torch.__version__,
           'threads': torch.get_num_threads(), 'rounds': args.rounds, 'steps': args.steps,
           'load_avg_1min': os.getloadavg()[0], 'results': {}}
    for mname, sizes in MODELS.items():
        for oname, (ours, theirs) in OPTS.items():
            makers = {'miniai': ours, 'torch': partial(theirs, foreach=False), 'torch_foreach': partial(theirs, foreach=True)}
            opts = {k: make(params(sizes)) for k, make in makers.items()}   # each on its own copy of the parameters
            for opt in opts.values(): time_steps(opt, 3)                     # warm-up: state allocated, memory touched
            times = {k: [] for k in opts}
            for _ in range(args.rounds):   # interleaved, so that a burst of load hits all three alike
                for k, opt in opts.items(): times[k].append(time_steps(opt, args.steps))
            med = {k: statistics.median(w for w, _ in v) for k, v in times.items()}
            cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
            out['results'][f'{oname} | {mname}'] = {
                **{f'{k}_median_us': round(v * 1e6, 1) for k, v in med.items()},
                **{f'{k}_cpu_median_us': round(v * 1e6, 1) for k, v in cpu.items()},
                'ratio_miniai_over_torch': round(med['miniai'] / med['torch'], 3),
                'ratio_miniai_over_torch_foreach': round(med['miniai'] / med['torch_foreach'], 3),
                'cpu_ratio_miniai_over_torch': round(cpu['miniai'] / cpu['torch'], 3)}
    print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
