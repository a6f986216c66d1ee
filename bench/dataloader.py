"""One shuffled epoch over the 50,000 x 784 MNIST training tensors at batch size 64: miniai's DataLoader against
torch.utils.data.DataLoader(TensorDataset(x, y), shuffle=True), in the same process, plus the image-folder path's
images per second, with no workers and with 2 worker processes (miniai's and PyTorch's, same run). Prints JSON. Needs the full MNIST (MINIAI_DATA, the cache or a download):
the bundled sample is too small to time. Usage: python bench/dataloader.py"""
import json, os, statistics, tempfile, time
import torch
import torch.utils.data as tud
from miniai.data import load_mnist
from miniai.dataloader import DataLoader; from miniai.datasets import Dataset, image_folders; from miniai.png_folders import mnist_image_folder

def epoch_time(dl) -> float:
    "Seconds to run through every batch of `dl` once."
    t0 = time.perf_counter()
    for _ in dl: pass
    return time.perf_counter() - t0

def main(repeats: int = 9, bs: int = 64, per_class: int = 1000):
    (x, y), _, _ = load_mnist(which='full')
    ours = DataLoader(Dataset(x, y), batch_size=bs, shuffle=True)
    theirs = tud.DataLoader(tud.TensorDataset(x, y), batch_size=bs, shuffle=True)
    epoch_time(ours), epoch_time(theirs)  # warm up
    t_ours, t_theirs = [], []
    for _ in range(repeats):  # interleaved, so that a change in machine load hits both alike
        t_ours.append(epoch_time(ours)); t_theirs.append(epoch_time(theirs))
    m_ours, m_theirs = statistics.median(t_ours), statistics.median(t_theirs)
    with tempfile.TemporaryDirectory() as d:  # the image-folder path: 3s and 7s written as PNGs, read back lazily
        train, _ = image_folders(mnist_image_folder(os.path.join(d, 'mnist'), 'sample', max_per_class=per_class, which='full'))
        img = DataLoader(train, batch_size=bs, shuffle=True)
        t_img = statistics.median(epoch_time(img) for _ in range(3))
        ours_w = DataLoader(train, batch_size=bs, shuffle=True, num_workers=2)
        theirs_w = tud.DataLoader(train, batch_size=bs, shuffle=True, num_workers=2)
        t_ours_w, t_theirs_w = [], []
        for _ in range(3):  # interleaved; each epoch starts its workers afresh in both libraries
            t_ours_w.append(epoch_time(ours_w)); t_theirs_w.append(epoch_time(theirs_w))
        w_ours, w_theirs = statistics.median(t_ours_w), statistics.median(t_theirs_w)
    print(json.dumps({
        'task': f'one shuffled epoch, {tuple(x.shape)} MNIST training tensors, batch size {bs}',
        'repeats': repeats,
        'miniai_median_s': round(m_ours, 4),
        'torch_median_s': round(m_theirs, 4),
        'speedup_torch_over_miniai': round(m_theirs / m_ours, 2),
        'requirement_speedup_at_least': 2.0,
        'meets_requirement': m_theirs / m_ours >= 2.0,
        'image_folder': {'images': len(train), 'median_epoch_s': round(t_img, 4), 'images_per_s': round(len(train) / t_img)},
        'image_folder_2_workers': {'miniai_median_s': round(w_ours, 4), 'torch_median_s': round(w_theirs, 4),
                                   'miniai_over_torch': round(w_ours / w_theirs, 2)},
        'torch_threads': torch.get_num_threads(), 'load_average_1min': round(os.getloadavg()[0], 2),
    }, indent=2))

if __name__ == '__main__': main()
