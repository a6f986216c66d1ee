"""Benchmark data-parallel training: one epoch of the main job's model with 1 and with 2 processes, threads set explicitly.

Each configuration runs `bench/ddp.py --worker --threads T` in fresh processes: one plain Python process for P=1
(no process group, no DDP wrapper), `torchrun --standalone --nproc_per_node 2` for P=2. The time measured is one
call of miniai's `train` with the main job's recipe (building the loaders, the model and, under torchrun, its DDP
wrapper, then one epoch with its validation pass), from a barrier that all ranks pass after loading the data; data
loading, the processes' start-up and the one-off imports of DDP's first construction (about 2 s) are not timed. Inside it, the epoch alone (the training and validation passes,
as `MetricsCB` times them on rank 0) is reported too: the speedups are given for both. Three configurations:
  1x1: one process, one thread (the reference for the processes' speedup),
  1x2: one process, two threads (the same cores as 2x1, used by threads instead of processes),
  2x1: two processes of one thread each (DDP, gloo, each rank half of every batch: 256 for the resnet and the cnn).
Repeats rotate the order of the configurations; the JSON gives each one's wall and CPU times (rank 0's) and epoch times,
their medians, and the speedups of 2x1 over 1x1 and over 1x2 (ratios of medians), with each run's validation accuracy as
a check that it trained. A two-process job cannot share one Python process with its reference, so they run side by side.

Run from the repo root: `python bench/ddp.py [--model resnet|cnn|mlp] [--n-train 10000] [--repeats 3]`
(needs the full data set: MINIAI_DATA or the cache, else it downloads).
"""
import argparse, contextlib, io, json, os, statistics, subprocess, sys, time

CONFIGS = {'1x1': (1, 1), '1x2': (1, 2), '2x1': (2, 1)}   # name: (processes, threads per process)

def worker(args):
    "One rank: load the data, then time one epoch of the main job's `train`; rank 0 prints the time as JSON."
    import torch, torch.distributed as dist
    from miniai.data import load_mnist
    from miniai.distributed import init_distributed, is_main_process, leave_distributed
    from miniai.__main__ import train
    torch.set_num_threads(args.threads)
    data = load_mnist(args.dataset, which='full')   # 1x1 runs first: it fills an empty cache before two ranks read it
    joined = init_distributed()
    try:
        if joined:   # DDP's first construction imports ~800 modules (torch._dynamo...) in about 2 s: a one-off cost, paid here
            torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(1, 1))
            dist.barrier()
        t0, c0 = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()): run = train(data, args.model, epochs=1, n_train=args.n_train, seed=0)
        t, c = time.perf_counter() - t0, time.process_time() - c0
        if is_main_process():
            print(json.dumps(dict(time=t, cpu_time=c, epoch_time=run.learn.metrics.log[-1]['time'], threads=torch.get_num_threads(), world_size=dist.get_world_size() if joined else 1,
                                  valid_accuracy=run.learn.metrics.log[-1]['valid_accuracy'])))
    finally:
        if joined: leave_distributed()

def launch(args, processes: int, threads: int) -> dict:
    "Run one configuration (under torchrun for more than one process) and return rank 0's JSON."
    launcher = [sys.executable] if processes == 1 else [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(processes)]
    cmd = [*launcher, __file__, '--worker', '--threads', str(threads), '--model', args.model, '--dataset', args.dataset, '--n-train', str(args.n_train)]
    env = {k: v for k, v in os.environ.items() if k not in ('RANK', 'WORLD_SIZE', 'LOCAL_RANK', 'LOCAL_WORLD_SIZE')} | dict(OMP_NUM_THREADS=str(threads))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    if out.returncode: sys.exit(f'{processes} process(es) x {threads} thread(s) failed:\n{out.stderr[-3000:]}')
    return json.loads([l for l in out.stdout.splitlines() if l.startswith('{')][-1])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', default='resnet', choices=['mlp', 'cnn', 'resnet'])
    p.add_argument('--dataset', default='fashion', choices=['mnist', 'fashion'])
    p.add_argument('--n-train', type=int, default=10_000, help='training images in the epoch (default: 10,000)')
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--threads', type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker: return worker(args)
    load_before = os.getloadavg()[0]
    runs = {k: [] for k in CONFIGS}
    names = list(CONFIGS)
    for r in range(args.repeats):
        for k in names[r % len(names):] + names[:r % len(names)]: runs[k].append(launch(args, *CONFIGS[k]))
    med = {k: statistics.median(x['time'] for x in v) for k, v in runs.items()}
    epoch = {k: statistics.median(x['epoch_time'] for x in v) for k, v in runs.items()}
    print(json.dumps(dict(
        model=args.model, dataset=args.dataset, n_train=args.n_train, repeats=args.repeats, cores=len(os.sched_getaffinity(0)),
        load_before=load_before, load_after=os.getloadavg()[0], configs={k: f'{p} process(es) x {t} thread(s)' for k, (p, t) in CONFIGS.items()},
        times={k: [round(x['time'], 3) for x in v] for k, v in runs.items()}, median_time=med,
        median_cpu_time={k: statistics.median(x['cpu_time'] for x in v) for k, v in runs.items()},
        epoch_times={k: [round(x['epoch_time'], 3) for x in v] for k, v in runs.items()}, median_epoch_time=epoch,
        valid_accuracy={k: [round(x['valid_accuracy'], 4) for x in v] for k, v in runs.items()},
        speedup_2x1_over_1x1=med['1x1'] / med['2x1'], speedup_2x1_over_1x2=med['1x2'] / med['2x1'],
        epoch_speedup_2x1_over_1x1=epoch['1x1'] / epoch['2x1'], epoch_speedup_2x1_over_1x2=epoch['1x2'] / epoch['2x1']), indent=1))

if __name__ == '__main__': main()
