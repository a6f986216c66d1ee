"""Benchmark: one 2-d convolution three ways, in the same process: miniai.conv's loops (`conv2d_loops`), im2col and
one matrix product (`conv2d`), and PyTorch's `F.conv2d`. Prints JSON with median times and ratios.

(small) the loop version's problem: the first validation image, 8 seeded 3x3 filters, padding 1 (all three versions);
(batch) a layer of the first CNN: 256 images of 16 channels 14x14 -> 32 channels 7x7 (3x3, stride 2, padding 1),
im2col against F.conv2d only (the loops would take about 10 s a call).
Each round times every candidate once (interleaved, so that load from other processes hits all alike); the JSON has
the medians over rounds of wall-clock and CPU seconds per call, and the ratios of the medians.
Usage: python bench/conv.py [--rounds N]"""
import argparse, json, os, platform, statistics, time
import torch
import torch.nn.functional as F
from miniai.conv import conv2d, conv2d_loops, to_images

def timeit(f, number):
    "Wall-clock and CPU seconds per call of f(), averaged over `number` calls."
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(number): f()
    return (time.perf_counter() - t0) / number, (time.process_time() - c0) / number

def problems():
    "The small problem (a real digit) and the batch problem (seeded random activations), with their calls."
    from miniai.data import load_mnist
    mnist = load_mnist()
    g = torch.Generator().manual_seed(42)
    x1, w1 = to_images(mnist.splits[1][0][:1]), torch.randn(8, 1, 3, 3, generator=g)
    x2, w2 = torch.randn(256, 16, 14, 14, generator=g), torch.randn(32, 16, 3, 3, generator=g) / 12
    small = {'loops': (lambda: conv2d_loops(x1, w1, padding=1), 1), 'im2col': (lambda: conv2d(x1, w1, padding=1), 200),
             'torch': (lambda: F.conv2d(x1, w1, padding=1), 2000)}
    batch = {'im2col': (lambda: conv2d(x2, w2, stride=2, padding=1), 5), 'torch': (lambda: F.conv2d(x2, w2, stride=2, padding=1), 5)}
    ref1, ref2 = F.conv2d(x1, w1, padding=1), F.conv2d(x2, w2, stride=2, padding=1)
    for name, (f, _) in small.items(): torch.testing.assert_close(f(), ref1, rtol=1e-4, atol=1e-5, msg=f'{name} is wrong')
    torch.testing.assert_close(batch['im2col'][0](), ref2, rtol=1e-4, atol=1e-4, msg='im2col is wrong (batch)')
    return small, batch, 'mnist sample' if mnist.sample else 'mnist'

def medians(cands, rounds):
    "Median wall-clock and CPU seconds per call of each candidate over `rounds` interleaved rounds."
    wall, cpu = {k: [] for k in cands}, {k: [] for k in cands}
    for _ in range(rounds):
        for name, (f, number) in cands.items():
            w, c = timeit(f, number)
            wall[name].append(w); cpu[name].append(c)
    return {k: statistics.median(v) for k, v in wall.items()}, {k: statistics.median(v) for k, v in cpu.items()}

def main(rounds=11):
    torch.set_num_threads(1)  # one thread: steadier on a small shared machine, and the loops use one core anyway
    small, batch, source = problems()
    for f, _ in [*small.values(), *batch.values()]: f()   # warm-up
    s_wall, s_cpu = medians(small, rounds)
    b_wall, b_cpu = medians(batch, rounds)
    print(json.dumps({
        'small': f'1x1x28x28 ({source} image) * 8x1x3x3, padding 1: {8 * 28 * 28 * 9} multiply-adds',
        'batch': f'256x16x14x14 * 32x16x3x3, stride 2, padding 1: {256 * 32 * 7 * 7 * 16 * 9} multiply-adds',
        'rounds': rounds,
        'small_median_s': s_wall, 'small_median_cpu_s': s_cpu,
        'small_ratio_loops_over_im2col': s_wall['loops'] / s_wall['im2col'],
        'small_ratio_loops_over_torch': s_wall['loops'] / s_wall['torch'],
        'small_ratio_im2col_over_torch': s_wall['im2col'] / s_wall['torch'],
        'batch_median_s': b_wall, 'batch_median_cpu_s': b_cpu,
        'batch_ratio_im2col_over_torch': b_wall['im2col'] / b_wall['torch'],
        'load_avg_1min': os.getloadavg()[0], 'cpus': os.cpu_count(),
        'python': platform.python_version(), 'torch': torch.__version__, 'torch_threads': torch.get_num_threads()}, indent=2))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--rounds', type=int, default=11)
    main(p.parse_args().rounds)
