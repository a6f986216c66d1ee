"""Benchmark miniai's Learner against a hand-written PyTorch loop, and check what it trains.

(a) `Learner.fit(1)` with DeviceCB, MetricsCB(accuracy) and ProgressCB, and (b) a hand-written loop doing the same
work (device moves, forward, loss, backward, step, zero_grad, epoch loss and accuracy weighted by batch size, then a
validation pass with the same metrics), both from the same initial weights and through the same batches in the same
order (the same miniai DataLoader with an identically seeded generator).
--model mlp (default): one epoch of an MLP 784-50-10 on MNIST's 50,000 training images at batch size 64.
--model cnn / resnet: the main job's CNN or ResNet (`python -m miniai --model ...`) on Fashion-MNIST at batch size 256,
one epoch over the first --n-train training images (default 10,000) and the 10,000 validation images; the images
are reshaped by `BatchTransformCB(to_images)` in (a) and by the same call inline in (b). Repeats alternate which of a and b goes first; the JSON gives the
medians of wall-clock time and a/b (primary), the median of per-repeat ratios, and the ratio of CPU-time medians (less
sensitive to other processes on a shared machine).
For the MLP, then the validation accuracy after 5 epochs trained by the Learner.

Run from the repo root: `python bench/learner.py [--model cnn|resnet]` (needs the full data set: MINIAI_DATA or the
cache, else it downloads; the bundled sample is too small to time).
"""
import argparse, contextlib, io, json, math, os, statistics, time
import torch
import torch.nn.functional as F
from torch import nn
from miniai.data import load_mnist
from miniai.datasets import Dataset
from miniai.dataloader import DataLoader, DataLoaders
from miniai.learner import Learner, Callback, set_lr
from miniai.callbacks import BatchTransformCB, DeviceCB, MetricsCB, ProgressCB
from miniai.metrics import accuracy
from miniai.conv import to_images
from miniai.__main__ import make_model

BS, LR, WD = 64, 0.07, 1e-3
IMAGES = None   # set by main(): to_images for the CNN and the ResNet, None for the MLP

def mlp(seed: int) -> nn.Module:
    "784-50-10 with a ReLU; Kaiming-normal first layer (the right scale for a ReLU), PyTorch's default last layer."
    torch.manual_seed(seed)
    m = nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10))
    nn.init.kaiming_normal_(m[0].weight); nn.init.zeros_(m[0].bias)
    return m

MODEL = mlp     # set by main() from --model

def image_model(name: str):
    "The main job's model `name`, built from `seed`."
    def make(seed: int) -> nn.Module:
        torch.manual_seed(seed)
        return make_model(name)   # at the recipe's width
    return make

def make_dls(data, seed: int) -> DataLoaders:
    (x, y), (xv, yv) = data
    g = torch.Generator().manual_seed(seed)
    return DataLoaders(DataLoader(Dataset(x, y), BS, shuffle=True, generator=g), DataLoader(Dataset(xv, yv), 2 * BS))

def opt_func(params, lr):
    "SGD with Nesterov momentum 0.9 and weight decay 1e-3."
    return torch.optim.SGD(params, lr, momentum=0.9, nesterov=True, weight_decay=WD)

def run_learner(model, dls, device):
    shape = [BatchTransformCB(IMAGES)] if IMAGES else []
    learn = Learner(model, dls, F.cross_entropy, lr=LR, opt_func=opt_func,
                    cbs=[DeviceCB(device), *shape, MetricsCB(accuracy), ProgressCB(plot=False)])
    with contextlib.redirect_stdout(io.StringIO()):  # the bars and the table are drawn, just not shown
        t0, c0 = time.perf_counter(), time.process_time()
        learn.fit(1)
        if device.type == 'cuda': torch.cuda.synchronize()
        t, c = time.perf_counter() - t0, time.process_time() - c0
    return (t, c), learn.metrics.log[-1]

def run_hand(model, dls, device):
    "The same epoch written out by hand."
    t0, c0 = time.perf_counter(), time.process_time()
    model.to(device)
    opt = opt_func(model.parameters(), LR)
    row = {'epoch': 0}
    for stage, dl in (('train', dls.train), ('valid', dls.valid)):
        training = stage == 'train'
        model.train(training)
        tot_loss, tot_acc, count = 0., 0., 0
        with torch.set_grad_enabled(training):
            for xb, yb in dl:
                xb, yb = xb.to(device, non_blocking=True), yb.to(device, non_blocking=True)
                if IMAGES: xb = IMAGES(xb)
                preds = model(xb)
                loss = F.cross_entropy(preds, yb)
                if training:
                    loss.backward(); opt.step(); opt.zero_grad()
                n = len(yb)
                tot_loss += loss.detach() * n
                tot_acc += accuracy(preds.detach(), yb) * n
                count += n
        row[f'{stage}_loss'], row[f'{stage}_accuracy'] = float(tot_loss / count), float(tot_acc / count)
    if device.type == 'cuda': torch.cuda.synchronize()
    opt.zero_grad()
    return (time.perf_counter() - t0, time.process_time() - c0), row

class WarmupCosine(Callback):
    "Learning rate per batch: up linearly from 0 to `lr_max` over the first `warm` of the fit, then down to 0 along half a cosine (schedules proper come in notebook 20)."
    def __init__(self, lr_max: float, warm: float = 0.1): self.lr_max, self.warm = lr_max, warm
    def before_fit(self, learn): self.n, self.i = learn.n_epochs * len(learn.dls.train), 0
    def before_batch(self, learn):
        if not learn.training: return
        w = self.warm * self.n
        f = self.i / w if self.i < w else (1 + math.cos(math.pi * (self.i - w) / (self.n - w))) / 2
        set_lr(learn.opt, self.lr_max * f)
        self.i += 1

def accuracy_run(data, seed: int, device, epochs: int = 5):
    metrics = MetricsCB(accuracy)
    learn = Learner(mlp(seed), make_dls(data, seed), F.cross_entropy, lr=LR, opt_func=opt_func,
                    cbs=[DeviceCB(device), metrics, WarmupCosine(LR)])
    with contextlib.redirect_stdout(io.StringIO()): learn.fit(epochs)
    return [round(r['valid_accuracy'], 4) for r in metrics.log]

def main():
    global BS, IMAGES, MODEL
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', default='mlp', choices=['mlp', 'cnn', 'resnet'])
    p.add_argument('--n-train', type=int, default=10_000, help='training images per epoch for the cnn and the resnet (default: 10,000)')
    p.add_argument('--repeats', type=int, default=None, help='default: 11 for the mlp, 3 for the others')
    p.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: 1 for the mlp, steadier on a shared machine; 2 for the others, as the main job)')
    p.add_argument('--seeds', type=int, default=3, help='seeds for the 5-epoch accuracy run (the mlp only)')
    p.add_argument('--device', default=None, help='default: cuda, then mps, then cpu')
    args = p.parse_args()
    image = args.model != 'mlp'
    args.repeats = args.repeats or (3 if image else 11)
    args.threads = args.threads or (2 if image else 1)
    torch.set_num_threads(args.threads)
    device = torch.device(args.device) if args.device else DeviceCB().device
    (x, y), (xv, yv), _ = load_mnist('fashion' if image else 'mnist', which='full')
    if image: BS, IMAGES, MODEL, x, y = 256, to_images, image_model(args.model), x[:args.n_train], y[:args.n_train]
    mean, std = x.mean(), x.std()   # normalise with the training set's statistics
    data = ((x - mean) / std, y), ((xv - mean) / std, yv)

    # the two loops must do the same work: same weights after one epoch, same metrics
    _, ra = run_learner(MODEL(0), make_dls(data, 0), device)
    _, rb = run_hand(MODEL(0), make_dls(data, 0), device)
    ma, mb = MODEL(1), MODEL(1)
    run_learner(ma, make_dls(data, 1), device); run_hand(mb, make_dls(data, 1), device)
    same_weights = all(torch.allclose(a, b, atol=1e-6) for a, b in zip(ma.parameters(), mb.parameters()))
    same_metrics = all(abs(ra[k] - rb[k]) < 1e-5 for k in rb if k != 'epoch')

    dl_times, a_times, b_times, a_cpu, b_cpu = [], [], [], [], []
    for r in range(args.repeats):
        dls = make_dls(data, 100 + r)
        t0 = time.perf_counter()
        for _ in dls.train: pass
        for _ in dls.valid: pass
        dl_times.append(time.perf_counter() - t0)
        pair = [('a', run_learner), ('b', run_hand)]
        for name, f in (pair if r % 2 == 0 else pair[::-1]):   # alternate who goes first
            (t, c), _ = f(MODEL(100 + r), make_dls(data, 100 + r), device)
            (a_times if name == 'a' else b_times).append(t)
            (a_cpu if name == 'a' else b_cpu).append(c)
    med_a, med_b = statistics.median(a_times), statistics.median(b_times)
    n_batches = len(make_dls(data, 0).train) + len(make_dls(data, 0).valid)

    accs = [] if image else [accuracy_run(data, s, device) for s in range(args.seeds)]
    finals = [a[-1] for a in accs]
    task = (f'one epoch ({len(x):,} train + {len(xv):,} valid images of Fashion-MNIST), the main job\'s {args.model} '
            f'({sum(p.numel() for p in MODEL(0).parameters()):,} parameters), batch size {BS}, SGD nesterov momentum 0.9, lr 0.07, wd 1e-3'
            if image else 'one epoch (50,000 train + 10,000 valid images), MLP 784-50-10, batch size 64, SGD nesterov momentum 0.9, lr 0.07, wd 1e-3')
    out = {
        'bench': 'learner', 'device': str(device), 'torch_threads': args.threads, 'torch': torch.__version__,
        'load_avg_1min': round(os.getloadavg()[0], 2) if hasattr(os, 'getloadavg') else None,
        'task': task,
        'repeats': args.repeats,
        'learner_fit_s_median': round(med_a, 4), 'hand_loop_s_median': round(med_b, 4),
        'ratio_a_over_b': round(med_a / med_b, 4),
        'ratio_a_over_b_per_repeat_median': round(statistics.median(a / b for a, b in zip(a_times, b_times)), 4),
        'learner_overhead_us_per_batch': round((med_a - med_b) / n_batches * 1e6, 1),
        'cpu_time_ratio_a_over_b': round(statistics.median(a_cpu) / statistics.median(b_cpu), 4),
        'dataloader_only_s_median': round(statistics.median(dl_times), 4),
        'learner_fit_s_all': [round(t, 4) for t in a_times], 'hand_loop_s_all': [round(t, 4) for t in b_times],
        'same_weights_after_one_epoch': same_weights, 'same_metrics_after_one_epoch': same_metrics,
        'requirement_ratio': 1.05 if image else 1.15, 'ratio_ok': med_a / med_b <= (1.05 if image else 1.15),
    }
    if not image: out |= {
        'accuracy_recipe': 'inputs normalised, Kaiming init, SGD nesterov momentum 0.9, wd 1e-3, bs 64, lr warmed up to 0.07 over 10% of the batches then cosine-annealed to 0',
        'valid_accuracy_by_epoch': accs, 'valid_accuracy_5_epochs': finals,
        'valid_accuracy_5_epochs_min': min(finals),
        'requirement_accuracy': 0.975, 'accuracy_ok': min(finals) >= 0.975,
    }
    print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
