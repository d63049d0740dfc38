"""Time a full per-parameter gradient check: the batched checker against the plain loop.

Usage: python benchmarks/gradient_check.py [--repeats N] [--hidden tanh]

The network has layer sizes [30, 16, 8, 1], 641 parameters, and the batch has
64 examples, as in the README. Each method runs once to warm up and then ``--repeats``
times; the script prints the best and the median time of each and the ratio of the
medians. ``method="central"`` evaluates all perturbed copies of a parameter in one
batched forward pass; ``method="loop"`` moves one entry at a time and calls
``Network.cost`` twice per entry; ``method="complex"`` is the batched complex step.
This is a measurement to read, not a test: nothing fails on a slow machine.
"""

import argparse
import os
import platform
import statistics
import time

import numpy as np

import gradproof as gp


def time_method(network, X, Y, method, repeats):
    """Return the wall-clock times of ``repeats`` checks, after one warm-up run."""
    gp.gradient_check(network, X, Y, method=method)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        report = gp.gradient_check(network, X, Y, method=method)
        times.append(time.perf_counter() - start)
    return times, report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--hidden", default="tanh", help="hidden activation (default tanh)")
    arguments = parser.parse_args()

    network = gp.Network.from_sizes([30, 16, 8, 1], hidden_activation=arguments.hidden, seed=0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 64))
    Y = (rng.random((1, 64)) < 0.5).astype(float)
    n_parameters = sum(array.size for _, array in network.parameters())

    print(f"network [30, 16, 8, 1], {arguments.hidden} hidden layers, {n_parameters} parameters, "
          f"64 examples, {arguments.repeats} repeats")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    medians = {}
    for method in ("central", "complex", "loop"):
        times, report = time_method(network, X, Y, method, arguments.repeats)
        medians[method] = statistics.median(times)
        print(f"{method:8s} best {1000 * min(times):7.1f} ms   median {1000 * medians[method]:7.1f} ms"
              f"   relative error {report.relative_error:.1e}")
    print(f"loop / central (medians): {medians['loop'] / medians['central']:.1f}x")


if __name__ == "__main__":
    main()
