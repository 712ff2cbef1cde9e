"""A copy of a model bundle with other weights: another checkpoint of the same
model, for the schedule and comparison tests. Weights (float
initializers, integer weight tables) get seeded Gaussian noise scaled to each
tensor's own spread.

    python3 test/oracle/perturb_model.py --bundle examples/spamassassin/model --out /tmp/ckpt-2 --seed 2 --scale 0.5
"""

from __future__ import annotations

import argparse
import pathlib
import shutil

import numpy as np
import onnx
from onnx import numpy_helper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--scale", type=float, default=0.5)
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        if (args.bundle / name).exists():
            shutil.copyfile(args.bundle / name, args.out / name)
    model = onnx.load(str(args.bundle / "model.onnx"))
    rng = np.random.default_rng(args.seed)
    for index, tensor in enumerate(model.graph.initializer):
        values = numpy_helper.to_array(tensor)
        # Weights only: float tensors, and integer tables (quantized weights) of some size, not shapes or axes.
        if values.size < 2 or (values.dtype != np.float32 and not (values.dtype == np.int32 and values.size >= 64)):
            continue
        spread = float(values.std()) or 1.0
        noisy = values + rng.normal(0.0, args.scale * spread, values.shape)
        if values.dtype == np.int32:
            noisy = np.rint(noisy)
        model.graph.initializer[index].CopyFrom(numpy_helper.from_array(noisy.astype(values.dtype), tensor.name))
    onnx.save(model, str(args.out / "model.onnx"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
