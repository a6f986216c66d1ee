"""Benchmark: the 5x784 @ 784x10 product of notebook 04 with miniai.Tensor, with the fastest plain-list
standard-library code we could write, and with torch. Prints JSON with median times and ratios.
Usage: python bench/matmul.py [--rounds N]"""
import argparse, json, os, platform, random, statistics, time
from operator import mul
import torch
from miniai.tensor import Tensor

N, K, M = 5, 784, 10

def problem():
    "The first 5 validation images (from load_mnist: the full set, else the bundled sample) and seeded weights."
    from miniai.data import load_mnist
    mnist = load_mnist()
    rnd, x = random.Random(42), mnist.splits[1][0][:N].tolist()
    w = [[rnd.gauss(0, 1) for _ in range(M)] for _ in range(K)]
    return x, w, 'mnist sample' if mnist.sample else 'mnist'

# plain-list candidates for (b); the fastest one is reported
def nested_zip(a, b):
    "Nested lists: columns of b by zip(*b), each output one sum(map(mul))."
    cols = list(zip(*b))
    return [[sum(map(mul, r, c)) for c in cols] for r in a]

def flat_strided(a, b, n=N, k=K, m=M):
    "Flat row-major lists: rows and columns as (strided) slices, each output one sum(map(mul))."
    rows, cols = [a[i*k:(i + 1)*k] for i in range(n)], [b[j::m] for j in range(m)]
    return [sum(map(mul, r, c)) for r in rows for c in cols]

def nested_genexp(a, b):
    "Nested lists: columns by zip(*b), dot products with a generator expression."
    cols = list(zip(*b))
    return [[sum(x*y for x, y in zip(r, c)) for c in cols] for r in a]

def timeit(f, number):
    "Wall-clock and CPU seconds per call of f(), averaged over `number` calls."
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(number): f()
    return (time.perf_counter() - t0)/number, (time.process_time() - c0)/number

def main(rounds=21):
    torch.set_num_threads(1)  # one thread: steadier on a small shared machine, and a fair single-core comparison
    x, w, source = problem()
    xt, wt = Tensor(x), Tensor(w)
    xf, wf = [v for r in x for v in r], [v for r in w for v in r]
    tx, tw = torch.tensor(x), torch.tensor(w)
    ref = (torch.tensor(x, dtype=torch.float64) @ torch.tensor(w, dtype=torch.float64)).flatten().tolist()
    cands = {'miniai': (lambda: xt @ wt, 20), 'torch': (lambda: tx @ tw, 2000),
             'nested_zip': (lambda: nested_zip(x, w), 20), 'flat_strided': (lambda: flat_strided(xf, wf), 20),
             'nested_genexp': (lambda: nested_genexp(x, w), 3)}
    flat_out = {'miniai': (xt @ wt).data, 'torch': (tx @ tw).flatten().tolist(), 'flat_strided': flat_strided(xf, wf),
                'nested_zip': [v for r in nested_zip(x, w) for v in r], 'nested_genexp': [v for r in nested_genexp(x, w) for v in r]}
    for name, out in flat_out.items():
        tol = 1e-4 if name == 'torch' else 1e-9
        assert all(abs(a - b) <= tol*(1 + abs(b)) for a, b in zip(out, ref)), f'{name} gives a wrong product'
    times, cpu = {k: [] for k in cands}, {k: [] for k in cands}
    for _ in range(rounds):  # interleaved, so that load from other processes hits every candidate alike
        for name, (f, number) in cands.items():
            wall_s, cpu_s = timeit(f, number)
            times[name].append(wall_s); cpu[name].append(cpu_s)
    med = {k: statistics.median(v) for k, v in times.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    plain = {k: med[k] for k in ('nested_zip', 'flat_strided', 'nested_genexp')}
    best = min(plain, key=plain.get)
    a, b, c = med['miniai'], plain[best], med['torch']
    print(json.dumps({
        'problem': f'{N}x{K} @ {K}x{M} ({source} images), {N*K*M} multiply-adds', 'rounds': rounds,
        'median_s': {'a_miniai_tensor': a, 'b_plain_lists': b, 'c_torch': c},
        'b_formulation': best, 'plain_list_candidates_s': plain,
        'ratio_a_over_b': a/b, 'ratio_a_over_c': a/c,
        'miniai_multiply_adds_per_s': N*K*M/a,
        # CPU time of this process only: what one core does when other processes share the machine
        'median_cpu_s': {'a_miniai_tensor': med_cpu['miniai'], 'b_plain_lists': med_cpu[best], 'c_torch': med_cpu['torch']},
        'miniai_multiply_adds_per_cpu_s': N*K*M/med_cpu['miniai'],
        'load_avg_1min': os.getloadavg()[0], 'cpus': os.cpu_count(),
        'python': platform.python_version(), 'torch': torch.__version__, 'torch_threads': torch.get_num_threads()}, indent=2))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--rounds', type=int, default=21)
    main(p.parse_args().rounds)
