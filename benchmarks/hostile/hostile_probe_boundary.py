"""Hostile-input probe of the boundary (issue 14): resource guards, nets / data / training / configs / widgets / CLI.

Every case runs in a worker subprocess whose address space is capped
(``RLIMIT_AS``, default 6 GiB, so a runaway allocation fails instead of
killing the machine; the workbench's memory budget ``WORKBENCH_MAX_BYTES`` is set
to half of it) with a per-call alarm (default 20 s).  A worker that dies
is replaced and the probe goes on.  Each case is classified:

* ``clear error``     raised, and the message names what the user wrote (one of the case's keywords)
* ``sensible result`` returned, and the case accepts a result
* ``silently wrong``  returned although the input is invalid (or the result is wrong)
* ``obscure error``   raised, but the message names nothing the user wrote
* ``hang``            still running at the alarm
* ``unguarded allocation``  an allocation failed against the cap (nothing refused it first)

Run: ``PYTHONPATH=$PWD python benchmarks/hostile/hostile_probe_boundary.py [--verbose] [--timeout S] [--cap GiB]``.
"""
from __future__ import annotations

import argparse
import collections
import multiprocessing as mp
import os
import resource
import signal
import sys
import tempfile
import traceback

# (name, code, expect, keywords).  expect: "error" (the input is invalid), "ok" (a result is fine),
# "guard" (must refuse or finish quickly within the cap).  ``code`` is exec'd with workbench as ``wb``
# and must leave its value in ``r``.
CASES: list[tuple[str, str, str, tuple[str, ...], int | None]] = []


def case(name, code, expect="error", keywords=(), timeout=None):
    CASES.append((name, code, expect, tuple(keywords), timeout))


# ---------------------------------------------------------------- resource guards
case("poly: deep square net [1]+[8]*12+[1]", "net = wb.mlp([1] + [8] * 12 + [1], 'square'); "
     "r = wb.polynomial_spanning_dimension(net)", "guard", ("term", "monomial", "max_terms"))
case("poly: wide square net [1,400,400,400,1]", "net = wb.mlp([1, 400, 400, 400, 1], 'square'); "
     "r = wb.measures.coefficient_jacobian(net)", "guard", ("term", "monomial", "max_terms"))
case("poly: sympy on [1,4,4,4,4,1]", "net = wb.mlp([1, 4, 4, 4, 4, 1], 'square'); "
     "r = wb.measures.coefficient_jacobian(net, method='sympy')", "guard", ("term", "sympy", "max_terms"))
case("poly: points route deep [1]+[6]*14+[1]", "net = wb.mlp([1] + [6] * 14 + [1], 'square'); "
     "r = wb.polynomial_spanning_dimension_points(net)", "guard", ("term", "max_terms", "points"))
case("poly: small net still works", "net = wb.mlp([1, 1, 1, 1], 'square'); r = wb.polynomial_spanning_dimension(net)",
     "ok")
case("partition: 2-1024x3 fast, max_regions=200k",
     "net = wb.mlp([2, 1024, 1024, 1024, 1], 'relu', seed=0); r = wb.partition_2d(net, max_regions=200_000)",
     "guard", ("max_regions",))
case("partition: 2-1024x3 reference, max_regions=200k",
     "net = wb.mlp([2, 1024, 1024, 1024, 1], 'relu', seed=0); "
     "r = wb.partition_2d(net, max_regions=200_000, engine='reference')", "guard",
     ("max_regions", "engine"))  # refused by the reference engine's work estimate, which names the engine
case("partition: 2-1024x3 default limits",
     "net = wb.mlp([2, 1024, 1024, 1024, 1], 'relu', seed=0); r = wb.partition_2d(net)",
     "guard", ("max_regions", "max_bytes", "budget"))
case("partition: max_regions=0", "net = wb.mlp([2, 8, 1], seed=0); r = wb.partition_2d(net, max_regions=0)",
     "error", ("max_regions",))
case("circle n=10**10", "r = wb.circle(wb.torch.tensor([1., 0.]), wb.torch.tensor([0., 1.]), 10**10)",
     "guard", ("n=", "circle", "points"))
case("circle n=10**9 in 1000-D", "x0 = wb.torch.zeros(1000); x0[0] = 1; x1 = wb.torch.zeros(1000); x1[1] = 1; "
     "r = wb.circle(x0, x1, 10**9)", "guard", ("n=", "circle", "points"))
case("segment n=10**10", "r = wb.segment(wb.torch.tensor([1., 0.]), wb.torch.tensor([0., 1.]), 10**10)",
     "guard", ("n=", "segment", "points"))
case("layer_images of 2e6 points through 2-4096x4", "net = wb.mlp([2] + [4096] * 4 + [1], seed=0); "
     "X = wb.torch.randn(2_000_000, 2); r = wb.layer_images(net, X)", "guard", ("layer images", "chunk", "points"))
case("layer_images chunk_size=10**9", "net = wb.mlp([2, 8, 1], seed=0); "
     "r = wb.layer_images(net, wb.torch.randn(10, 2), chunk_size=10**9)", "ok")
case("count_dichotomies n_steps=10**9", "net = wb.mlp([4, 64, 64, 1], seed=0); "
     "r = wb.count_dichotomies(net, wb.torch.randn(15, 4), n_steps=10**9)", "guard", ("n_steps",))
case("weight_sweep_labels n_steps=10**8, 200 points", "net = wb.mlp([4, 256, 256, 1], seed=0); "
     "r = wb.weight_sweep_labels(net, wb.torch.randn(200, 4), n_steps=10**8)", "guard", ("n_steps",))
case("parameter_jacobian 20000 x 66k", "net = wb.mlp([2, 256, 256, 1], seed=0); "
     "r = wb.parameter_jacobian(net, wb.torch.randn(20_000, 2))", "guard", ("Jacobian", "points", "chunk"))
case("parameter_jacobian reduce=none 5000 pts x 10 outputs x 66k", "net = wb.mlp([2, 256, 256, 10], seed=0); "
     "r = wb.parameter_jacobian(net, wb.torch.randn(5_000, 2), 'none')", "guard", ("Jacobian", "points"))
case("spanning_dimension 20000 x 66k", "net = wb.mlp([2, 256, 256, 1], seed=0); "
     "r = wb.spanning_dimension(net, wb.torch.randn(20_000, 2))", "guard", ("Jacobian", "points"))
case("esd 1-1024x3-1 (n_points=params: 2M x 2M)", "r = wb.esd([1, 1024, 1024, 1024, 1], samples=1)",
     "guard", ("Jacobian", "points", "n_points"))
case("sampled_gradient_rows 20000 x all 66k coords", "net = wb.mlp([2, 256, 256, 1], seed=0); "
     "c = wb.torch.arange(wb.count_parameters(net)); "
     "r = wb.measures.sampled_gradient_rows(net.eval(), wb.torch.randn(20_000, 2), c)",
     "guard", ("coords", "points", "sampled"))
case("sampled_spanning_dimension k=66k of 66k, 20000 points", "net = wb.mlp([2, 256, 256, 1], seed=0).eval(); "
     "r = wb.sampled_spanning_dimension(net, wb.torch.randn(20_000, 2), k=66_000)",
     "guard", ("points", "k", "sampled", "budget"))
case("edjm 100k inputs 784-d", "net = wb.mlp([784, 64, 10], seed=0); "
     "r = wb.edjm(net, wb.torch.rand(100_000, 784))", "guard", ("max_bytes", "EDJM", "store", "inputs"))
case("circle_transitions max_pieces=10**12 on 2-4096x3",
     "net = wb.mlp([2, 4096, 4096, 4096, 1], seed=0); "
     "r = wb.circle_transitions(net, wb.torch.tensor([3., 0.]), wb.torch.tensor([0., 3.]), max_pieces=10**12)",
     "guard", ("max_pieces", "budget", "pieces"))
case("ESD panel at slider max compute anyway", "from workbench.widgets.esd_panel import ESDPanel; "
     "p = ESDPanel(auto=False, samples=2); p.update(n_in=16, width=64, depth=8); p.refresh(force=True); "
     "r = p.last_error; assert r is not None, 'probe: no error: computed'; raise r",
     "guard", ("Jacobian", "budget", "points"))

# ---------------------------------------------------------------- nets
case("mlp widths [2,0,1]", "r = wb.mlp([2, 0, 1])", "error", ("width",))
case("mlp widths [2,-3,1]", "r = wb.mlp([2, -3, 1])", "error", ("width",))
case("mlp widths [2, 2.5, 1]", "r = wb.mlp([2, 2.5, 1])", "error", ("width",))
case("mlp widths 'abc'", "r = wb.mlp('abc')", "error", ("width",))
case("mlp width 10**12 (allocation)", "r = wb.mlp([2, 10**6, 10**6, 1])", "guard", ("parameters", "width"))
case("partition of a LeakyReLU(NaN) net", "nn = wb.torch.nn; net = nn.Sequential(nn.Linear(2, 4), "
     "nn.LeakyReLU(float('nan')), nn.Linear(4, 1)); r = wb.partition_2d(net)", "error", ("slope", "NaN"))
case("dichotomies of a Hardtanh(0, inf) net", "nn = wb.torch.nn; net = nn.Sequential(nn.Linear(2, 4), "
     "nn.Hardtanh(0.0, float('inf')), nn.Linear(4, 1)); r = wb.count_dichotomies(net, wb.torch.randn(5, 2))",
     "error", ("max_val", "inf", "breakpoint"))
case("mlp unknown activation", "r = wb.mlp([2, 4, 1], 'relux')", "error", ("activation", "relux"))
case("mlp seed -1", "r = wb.mlp([2, 4, 1], seed=-1)", "error", ("seed",))
case("mlp seed 'a'", "r = wb.mlp([2, 4, 1], seed='a')", "error", ("seed",))
case("mlp seed Generator", "r = wb.mlp([2, 4, 1], seed=wb.torch.Generator().manual_seed(1))", "ok")
case("dense_net dropout 1.5", "r = wb.dense_net(4, [8], 2, dropout=1.5)", "error", ("dropout",))
case("dense_net dropout NaN", "r = wb.dense_net(4, [8], 2, dropout=float('nan'))", "error", ("dropout",))
case("dense_net hidden [0]", "r = wb.dense_net(4, [0], 2)", "error", ("hidden",))
case("dense_net n_in=0", "r = wb.dense_net(0, [8], 2)", "error", ("n_in",))
case("conv_net in_shape (1,0,8)", "r = wb.conv_net((1, 0, 8), [4], [8], 2)", "error", ("in_shape",))
case("small_convnet channels (0,4)", "r = wb.small_convnet(channels=(0, 4))", "error", ("channels",))
case("small_cnn depth -1", "r = wb.small_cnn(depth=-1)", "error", ("depth",))
case("small_cnn num_classes=0", "r = wb.small_cnn(num_classes=0)", "error", ("num_classes",))
case("zoo_model num_classes=0", "r = wb.zoo_model('resnet18', num_classes=0)", "error", ("num_classes",))
case("resnet_family num_classes=0", "r = wb.resnet_family(18, num_classes=0)", "error", ("num_classes",))
case("mixed_mlp unknown activation", "r = wb.mixed_mlp([2, 4, 1], ['relux'])", "error", ("relux", "activation"))
case("mixed_mlp widths [2,0,1]", "r = wb.mixed_mlp([2, 0, 1], ['relu'])", "error", ("width",))
case("svd_net hidden [-1]", "r = wb.svd_net(2, [-1], 1)", "error", ("hidden",))
case("mlp_ensemble members 0", "r = wb.mlp_ensemble([2, 4, 1], 0)", "error", ("member",))
case("linear_autoencoder widths (4,)", "r = wb.linear_autoencoder((4,))", "error", ("widths",))
case("svd_log_penalty lam NaN", "r = wb.nets.svd_log_penalty(float('nan'))", "error", ("lam",))
case("reorthonormalize_every period 0", "r = wb.nets.reorthonormalize_every(0)", "error", ("period",))

# ---------------------------------------------------------------- data generators
case("noise_images n=0", "r = wb.data.noise_images(0)", "error", ("n must", "n="))
case("noise_images n_classes=0", "r = wb.data.noise_images(10, n_classes=0)", "error", ("n_classes",))
case("noise_images n=2.5", "r = wb.data.noise_images(2.5)", "error", ("n must", "n="))
case("noise_images seed -1", "r = wb.data.noise_images(4, seed=-1)", "error", ("seed",))
case("noise_images seed 1.5", "r = wb.data.noise_images(4, seed=1.5)", "error", ("seed",))
case("noise_images seed Generator", "r = wb.data.noise_images(4, seed=wb.torch.Generator().manual_seed(0))", "ok")
case("noise_images n=10**12", "r = wb.data.noise_images(10**12)", "guard", ("n must", "images"))
case("random_points high=inf", "r = wb.data.random_points(4, high=float('inf'))", "error", ("high",))
case("random_points low=nan", "r = wb.data.random_points(4, low=float('nan'))", "error", ("low",))
case("random_points n=-1", "r = wb.data.random_points(-1)", "error", ("n must", "n="))
case("random_points dim=2.0 (integral float)", "r = wb.data.random_points(4, dim=2.0)", "ok")
case("random_points low='a'", "r = wb.data.random_points(4, low='a')", "error", ("low",))
case("digits n=0", "r = wb.data.digits(0)", "error", ("n must", "n="))
case("digits n=-5", "r = wb.data.digits(-5)", "error", ("n must", "n="))
case("digits n=2.5", "r = wb.data.digits(2.5)", "error", ("n must", "n="))
case("digits seed 'x'", "r = wb.data.digits(10, seed='x')", "error", ("seed",))
case("Dataset.split n_train=1.5", "r = wb.data.digits(50).split(1.5)", "error", ("n_train",))
case("Dataset.split n_train=nan", "r = wb.data.digits(50).split(float('nan'))", "error", ("n_train",))
case("breast_cancer n=0", "r = wb.data.breast_cancer(0)", "error", ("n must", "n="))
case("load unknown name", "r = wb.data.load('mnistt')", "error", ("mnistt",))
case("toy_2d n=0", "r = wb.papers.edjm.toy_2d(0)", "error", ("n must", "n="))
case("toy_2d noise=-1", "r = wb.papers.edjm.toy_2d(10, noise=-1)", "error", ("noise",))
case("toy_data noise nan", "r = wb.papers.pl_geometry.toy_data(10, noise=float('nan'))", "error", ("noise",))
case("draw_inputs n_points=0", "r = wb.papers.esd.draw_inputs(0, 2)", "error", ("n_points",))
case("draw_inputs unknown dist", "r = wb.papers.esd.draw_inputs(4, 2, 'uniformm')", "error", ("uniformm", "inputs"))
case("draw_inputs n_points=10**11", "r = wb.papers.esd.draw_inputs(10**11, 10)", "guard", ("n_points", "points"))

# ---------------------------------------------------------------- local data files (corrupt / truncated)
for ds, folder, fname, data in (
    ("mnist", "MNIST/raw", "train-images-idx3-ubyte", b"\x00\x00\x08\x03" + b"\x00" * 8),
    ("mnist", "MNIST/raw", "train-images-idx3-ubyte", b"garbage"),
    ("fashion_mnist", "FashionMNIST/raw", "train-labels-idx1-ubyte", b"\x00\x00\x08\x01\x00\x00\xff\xff"),
):
    case(f"{ds} corrupt {fname} ({len(data)} bytes)",
         f"import pathlib, tempfile, os\n"
         f"root = pathlib.Path(tempfile.mkdtemp()); d = root / {folder!r}; d.mkdir(parents=True)\n"
         f"import workbench.data as D\n"
         f"for f in D._MNIST_FILES: (d / f).write_bytes(b'\\x00\\x00\\x08\\x03' + (2).to_bytes(4, 'big') "
         f"+ (28).to_bytes(4, 'big') * 2 + b'\\x00' * 1568 if 'images' in f else b'\\x00\\x00\\x08\\x01' "
         f"+ (2).to_bytes(4, 'big') + b'\\x00' * 2)\n"
         f"(d / {fname!r}).write_bytes({data!r})\n"
         f"os.environ['WORKBENCH_DATA'] = str(root)\n"
         f"r = D.{ds}()", "error", (fname,))
case("cifar10 corrupt data_batch_1",
     "import pathlib, tempfile, os\n"
     "root = pathlib.Path(tempfile.mkdtemp()); d = root / 'cifar-10-batches-py'; d.mkdir(parents=True)\n"
     "import workbench.data as D, pickle\n"
     "for f in D._CIFAR_FILES: (d / f).write_bytes(b'not a pickle')\n"
     "os.environ['WORKBENCH_DATA'] = str(root)\n"
     "r = D.cifar10()", "error", ("data_batch_1", "batches.meta"))
case("cifar10 pickle with wrong keys",
     "import pathlib, tempfile, os, pickle\n"
     "root = pathlib.Path(tempfile.mkdtemp()); d = root / 'cifar-10-batches-py'; d.mkdir(parents=True)\n"
     "import workbench.data as D\n"
     "for f in D._CIFAR_FILES: (d / f).write_bytes(pickle.dumps({'x': 1}))\n"
     "os.environ['WORKBENCH_DATA'] = str(root)\n"
     "r = D.cifar10()", "error", ("data_batch_1", "batches.meta"))
case("mnist truncated images (header says 60000, 100 bytes)",
     "import pathlib, tempfile, os\n"
     "root = pathlib.Path(tempfile.mkdtemp()); d = root / 'MNIST/raw'; d.mkdir(parents=True)\n"
     "import workbench.data as D\n"
     "for f in D._MNIST_FILES: (d / f).write_bytes(b'\\x00\\x00\\x08\\x03' + (60000).to_bytes(4, 'big') "
     "+ (28).to_bytes(4, 'big') * 2 + b'\\x00' * 100 if 'images' in f else b'\\x00\\x00\\x08\\x01' "
     "+ (60000).to_bytes(4, 'big') + b'\\x00' * 60000)\n"
     "os.environ['WORKBENCH_DATA'] = str(root)\n"
     "r = D.mnist()", "error", ("train-images-idx3-ubyte",))

# ---------------------------------------------------------------- training
for field, val in (("lr", "float('nan')"), ("lr", "float('inf')"), ("lr", "0.0"), ("lr", "-0.1"),
                   ("epochs", "-1"), ("epochs", "2.5"), ("batch_size", "0"), ("batch_size", "True"),
                   ("momentum", "float('nan')"), ("eval_every", "0"), ("optimizer", "'sgdd'"), ("loss", "'msee'")):
    case(f"FitConfig {field}={val}", f"r = wb.FitConfig({field}={val})", "error", (field,))
case("FitConfig epochs=10**12 accepted (cheap config)", "r = wb.FitConfig(epochs=10**12)", "ok")
case("fit data (X, y) length mismatch", "net = wb.mlp([2, 4, 2], seed=0); "
     "r = wb.fit(net, (wb.torch.randn(10, 2), wb.torch.zeros(9, dtype=wb.torch.long)))", "error", ("data", "9", "10"))
case("fit data with NaN", "net = wb.mlp([2, 4, 2], seed=0); X = wb.torch.randn(10, 2); X[3, 0] = float('nan'); "
     "r = wb.fit(net, (X, wb.torch.zeros(10, dtype=wb.torch.long)), wb.FitConfig(epochs=1))", "error", ("data", "NaN"))
case("fit data string", "net = wb.mlp([2, 4, 2], seed=0); r = wb.fit(net, 'digits')", "error", ("data",))
case("fit seed -1", "net = wb.mlp([2, 4, 2], seed=0); "
     "r = wb.fit(net, (wb.torch.randn(10, 2), wb.torch.zeros(10, dtype=wb.torch.long)), seed=-1)", "error", ("seed",))
case("fit labels out of range", "net = wb.mlp([2, 4, 2], seed=0); "
     "r = wb.fit(net, (wb.torch.randn(10, 2), wb.torch.full((10,), 5)), wb.FitConfig(epochs=1))",
     "error", ("label", "class"))
case("fit device 'tpu'", "net = wb.mlp([2, 4, 2], seed=0); "
     "r = wb.fit(net, (wb.torch.randn(10, 2), wb.torch.zeros(10, dtype=wb.torch.long)), device='tpu')",
     "error", ("device", "tpu"))

# ---------------------------------------------------------------- experiment configs
for cfg, field, val in (("GrowthConfig", "n_points", "0"), ("GrowthConfig", "sigma_w2s", "(float('nan'),)"),
                        ("DichotomyConfig", "n_steps", "-5"), ("DichotomyConfig", "n_inputs", "2.5"),
                        ("DichotomyConfig", "depths", "(2, 0)"), ("TransitionsConfig", "n_seeds", "0"),
                        ("TrainConfig", "lr", "float('inf')"), ("RegionCountConfig", "widths", "(0,)"),
                        ("ToyConfig", "epochs", "-1"), ("EDJMConfig", "epochs", "-3"),
                        ("DichotomyConfig", "all_layers", "'yes'")):
    case(f"{cfg}({field}={val})", f"from workbench.papers.raghu import trajectories as T\n"
         f"C = getattr(wb, {cfg!r}, None) or getattr(T, {cfg!r})\n"
         f"assert {field!r} in C.__dataclass_fields__, 'probe: no field'\n"
         f"r = C({field}={val})", "error", (field,))
case("GrowthConfig.smoke() valid", "r = wb.papers.raghu.GrowthConfig.smoke()", "ok")
case("DichotomyConfig n_steps=10**9 sweep", "c = wb.papers.raghu.DichotomyConfig.smoke(n_steps=10**9); "
     "r = wb.papers.raghu.dichotomy_sweep(c, progress=False)", "guard", ("n_steps",))

# ---------------------------------------------------------------- widgets
case("ESDPanel.update(activation='relux')", "from workbench.widgets.esd_panel import ESDPanel; "
     "p = ESDPanel(auto=False); r = p.update(activation='relux')", "error", ("activation", "relux"))
case("ESDPanel.update(width=3) not on grid", "from workbench.widgets.esd_panel import ESDPanel; "
     "p = ESDPanel(auto=False, samples=2); r = p.update(width=10**9)", "error", ("width",))
case("ESDPanel usable after a bad update", "from workbench.widgets.esd_panel import ESDPanel; "
     "p = ESDPanel(auto=False, samples=2, width=2, depth=1)\n"
     "try:\n    p.update(activation='relux')\nexcept Exception:\n    pass\n"
     "p.update(activation='tanh'); assert p.last_error is None, f'probe: {p.last_error}'\n"
     "assert p.result is not None, 'probe: no result'\n"
     "r = p.result", "ok")
case("ESDPanel(activation='relux') constructor", "from workbench.widgets.esd_panel import ESDPanel; "
     "r = ESDPanel(auto=False, activation='relux')", "error", ("activation", "relux"))
case("ESDPanel(width=0) constructor", "from workbench.widgets.esd_panel import ESDPanel; "
     "r = ESDPanel(auto=False, width=0)", "error", ("width",))

# ---------------------------------------------------------------- CLI
CLI = ("import subprocess, sys, os, tempfile, pathlib\n"
       "def cli(*args, **env):\n"
       "    e = dict(os.environ, **env)\n"
       "    p = subprocess.run([sys.executable, '-m', 'workbench.cli', *args], capture_output=True, text=True, "
       "env=e, timeout=80)\n"
       "    assert 'Traceback' not in p.stderr, 'probe: traceback: ' + p.stderr[-300:]\n"
       "    assert p.returncode == 2, f'probe: exit code {p.returncode}: {p.stderr[-300:]}'\n"
       "    raise ValueError(p.stderr)\n")
case("cli reproduce --out under a regular file", CLI + "f = pathlib.Path(tempfile.mkdtemp()) / 'file.txt'; "
     "f.write_text('x')\ncli('reproduce', '--out', str(f / 'sub'))", "error", ("file.txt",), timeout=90)
case("cli info with WORKBENCH_DEVICE=tpu", CLI + "cli('info', WORKBENCH_DEVICE='tpu')", "error",
     ("WORKBENCH_DEVICE", "tpu"), timeout=90)
case("cli reproduce with WORKBENCH_DEVICE=cuda:7 (none here)", CLI + "cli('reproduce', 'x', WORKBENCH_DEVICE='cuda:7')",
     "error", ("WORKBENCH_DEVICE", "cuda"), timeout=90)
case("cli report on a missing folder", CLI + "cli('report', '/nonexistent/folder')", "error", ("nonexistent",),
     timeout=90)
case("cli reproduce --workers 0", CLI + "cli('reproduce', '--workers', '0')", "error", ("--workers",), timeout=90)
case("cli WORKBENCH_MAX_BYTES=lots", CLI + "cli('info', WORKBENCH_MAX_BYTES='lots')", "error",
     ("WORKBENCH_MAX_BYTES",), timeout=90)


# ---------------------------------------------------------------- the runner
def _alloc_failure(ename: str, msg: str) -> bool:
    if ename == "MemoryError":
        return True
    return ename in ("RuntimeError", "OutOfMemoryError") and (
        "can't allocate memory" in msg or "DefaultCPUAllocator" in msg or "out of memory" in msg)


def classify(expect: str, keywords, outcome: str, ename: str | None, msg: str | None) -> str:
    """The category of one outcome (see the module docstring)."""
    if outcome == "hang":
        return "hang"
    if outcome == "died":
        return "unguarded allocation"
    if outcome == "ok":
        return "silently wrong" if expect == "error" else "sensible result"
    msg = msg or ""
    if _alloc_failure(ename, msg):
        return "unguarded allocation"
    if ename == "AssertionError" and msg.startswith("probe:"):
        return "silently wrong"
    if expect == "ok":
        return "obscure error"
    if "Traceback" in msg or ename == "TraitError":
        return "obscure error"
    if not keywords or any(k.lower() in msg.lower() for k in keywords):
        return "clear error"
    return "obscure error"


class _Alarm(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Alarm()


def _worker(conn, cap_bytes: int, timeout: int):
    if cap_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, cap_bytes))
        # the guards' budget: half the cap, so a guarded request is refused before the cap would fail it
        os.environ["WORKBENCH_MAX_BYTES"] = str(cap_bytes // 2)
    os.environ.setdefault("MPLBACKEND", "Agg")
    import torch

    torch.set_num_threads(1)
    import workbench as wb

    wb.torch = torch
    signal.signal(signal.SIGALRM, _on_alarm)
    while True:
        item = conn.recv()
        if item is None:
            return
        i, code, t_case = item
        env = dict(os.environ)
        ns = {"wb": wb}
        signal.alarm(t_case or timeout)
        try:
            exec(code, ns)
            res = ("ok", None, None, repr(ns.get("r"))[:120])
        except _Alarm:
            res = ("hang", None, None, "")
        except BaseException as exc:  # noqa: BLE001 - classify everything
            signal.alarm(0)
            name = type(exc).__name__
            res = ("raised", name, str(exc)[:600], "".join(traceback.format_exception_only(type(exc), exc))[-300:])
        finally:
            signal.alarm(0)
            os.environ.clear()
            os.environ.update(env)
        conn.send((i, res))


def run(verbose: bool, timeout: int, cap_gib: float, only: str | None):
    ctx = mp.get_context("spawn")
    cap = int(cap_gib * 2**30)
    counts = collections.Counter()
    rows = []
    proc = conn = None
    for i, (name, code, expect, kws, t_case) in enumerate(CASES):
        if only and only not in name:
            continue
        if proc is None or not proc.is_alive():
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(child, cap, timeout), daemon=True)
            proc.start()
            conn = parent
        conn.send((i, code, t_case))
        if conn.poll((t_case or timeout) + 60):
            try:
                _, (outcome, ename, emsg, extra) = conn.recv()
            except EOFError:
                outcome, ename, emsg, extra = "died", None, None, "worker died"
        else:
            outcome, ename, emsg, extra = "hang", None, None, "no answer"
        if outcome in ("hang", "died") or not proc.is_alive():
            proc.kill()
            proc.join()
            proc = None
        cat = classify(expect, kws, outcome, ename, emsg)
        counts[cat] += 1
        rows.append((cat, name, ename, (emsg or extra or "")[:200]))
        if verbose:
            print(f"[{cat:>20}] {name}: {ename or ''} {(emsg or extra or '')[:200]!r}", flush=True)
    if proc is not None:
        conn.send(None)
        proc.join(5)
    print("\nsummary over", sum(counts.values()), "cases:")
    for cat in ("clear error", "sensible result", "silently wrong", "obscure error", "hang", "unguarded allocation"):
        print(f"  {cat:<22} {counts.get(cat, 0)}")
    bad = [r for r in rows if r[0] not in ("clear error", "sensible result")]
    if bad:
        print("\nnot fine:")
        for cat, name, ename, msg in bad:
            print(f"  [{cat}] {name}: {ename or ''}: {msg}")
    return counts


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--timeout", type=int, default=20, help="seconds per call (default 20)")
    ap.add_argument("--cap", type=float, default=6.0, help="address-space cap of the worker in GiB (default 6)")
    ap.add_argument("--only", default=None, help="run only cases whose name contains this")
    a = ap.parse_args()
    tempfile.tempdir = tempfile.mkdtemp(prefix="wb-probe-")
    run(a.verbose, a.timeout, a.cap, a.only)
    sys.exit(0)
