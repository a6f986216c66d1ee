"""Time 7840 random numbers (a 784x10 weight matrix): miniai.rng against random.random and torch.rand/randn.
Prints JSON with the median nanoseconds per number over interleaved repeats, and ratios to torch.rand, all from one run.
Usage (from the repo root): python bench/rng.py [--repeat 15]"""
import argparse, json, platform, random, statistics, timeit
import torch
from miniai.data import chunks
from miniai.rng import WichmannHill, rand, randn

N = 7840  # the lesson's experiment: 784 x 10 numbers

def ns_per_number(cases: dict, repeat: int) -> dict:
    "Median ns per number for each case; the cases take turns in every round, so machine noise hits them alike."
    runs = {k: [] for k in cases}
    for _ in range(repeat):
        for k, (f, number) in cases.items(): runs[k].append(timeit.timeit(f, number=number) / number / N * 1e9)
    return {k: round(statistics.median(v), 2) for k, v in runs.items()}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repeat', type=int, default=21)
    args = ap.parse_args()
    g = WichmannHill(42)
    cases = {  # name: (callable, calls per timed run)
        'miniai_rand_x7840_chunks10': (lambda: list(chunks([rand() for _ in range(N)], 10)), 5),
        'random_random_x7840_chunks10': (lambda: list(chunks([random.random() for _ in range(N)], 10)), 20),
        'miniai_rand_784x10': (lambda: rand(784, 10), 5),
        'miniai_instance_rand_784x10': (lambda: g.rand(784, 10), 5),
        'miniai_randn_784x10': (lambda: randn(784, 10), 3),
        'torch_rand_784x10': (lambda: torch.rand(784, 10), 500),
        'torch_randn_784x10': (lambda: torch.randn(784, 10), 500)}
    for f, _ in cases.values(): f()  # warm up
    ns = ns_per_number(cases, args.repeat)
    base_u, base_n = ns['torch_rand_784x10'], ns['torch_randn_784x10']
    print(json.dumps({
        'numbers_per_call': N, 'repeats': args.repeat, 'statistic': 'median',
        'python': platform.python_version(), 'torch': torch.__version__, 'torch_threads': torch.get_num_threads(),
        'ns_per_number': ns,
        'ratio_to_torch_rand': {k: round(v / base_u, 1) for k, v in ns.items()},
        'miniai_randn_over_torch_randn': round(ns['miniai_randn_784x10'] / base_n, 1),
        'miniai_rand_over_random_random': round(ns['miniai_rand_x7840_chunks10'] / ns['random_random_x7840_chunks10'], 2)},
        indent=2))

if __name__ == '__main__': main()
