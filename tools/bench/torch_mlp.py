#!/usr/bin/env python3
"""PyTorch CPU baseline for the training benchmark (BENCHMARKS.md, "Training").

Trains an MLP (ReLU hidden layers, linear output, cross-entropy, Adam lr 1e-3) on Gaussian
data of the given shape with the given minibatch size, and prints one line
`examples_per_second=<float> examples_per_cpu_second=<float>` measured over all epochs after the
first (warm-up): examples per wall-clock second and per second of this process's CPU time (all
threads), the latter being less sensitive to other load on a shared machine.
Called by org.counterweight.train.TrainingBenchmark in the same run as the DL4J measurements.
"""
import argparse
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--features", type=int, required=True)
p.add_argument("--hidden", required=True)
p.add_argument("--classes", type=int, required=True)
p.add_argument("--rows", type=int, required=True)
p.add_argument("--batch", type=int, required=True)
p.add_argument("--epochs", type=int, required=True)
p.add_argument("--threads", type=int, required=True)
a = p.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(1)
y = torch.randint(0, a.classes, (a.rows,))
centers = torch.randn(a.classes, a.features) * 2
x = centers[y] + torch.randn(a.rows, a.features)
layers, width = [], a.features
for h in [int(v) for v in a.hidden.split(",")]:
    layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
    width = h
layers.append(torch.nn.Linear(width, a.classes))
net = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
timed, cpu, examples = 0.0, 0.0, 0
for epoch in range(a.epochs):
    perm = torch.randperm(a.rows)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(0, a.rows, a.batch):
        idx = perm[i:i + a.batch]
        opt.zero_grad()
        loss_fn(net(x[idx]), y[idx]).backward()
        opt.step()
    if epoch > 0:
        timed += time.perf_counter() - t0
        cpu += time.process_time() - c0
        examples += a.rows
print(f"examples_per_second={examples / timed:.1f} examples_per_cpu_second={examples / cpu:.1f}")
