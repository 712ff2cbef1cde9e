"""Reference float sums: numpy's add.reduce (pairwise) and Python's sum().

    python3 test/oracle/summation_oracle.py --seed 3 --out test/fixtures/summation-oracle.json
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import sys

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = []
    for n in [0, 1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 130, 255, 256, 257, 1000, 4099, 10007]:
        for style in ("unit", "mixed"):
            if style == "unit":
                values = [rng.random() for _ in range(n)]
            else:
                values = [rng.random() * 10 ** rng.randint(-12, 12) * rng.choice([1, -1]) for _ in range(n)]
                if n > 3:
                    # Cancellation and extremes: what a plain sum gets wrong.
                    values += [1e300, 5e-324, -1e300, 2.2250738585072014e-308, 1e16, 1.0, -1e16]
            cases.append(
                {
                    "values": values,
                    "numpy_add_reduce": float(np.add.reduce(np.asarray(values, dtype=np.float64))),
                    "python_sum": sum(values),
                    "fsum": math.fsum(values),
                }
            )
    version = sys.version_info
    fixture = {
        "generator": "test/oracle/summation_oracle.py",
        "seed": args.seed,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "python_sum_mode": "compensated" if (version.major, version.minor) >= (3, 12) else "plain",
        "cases": cases,
    }
    with open(args.out, "w") as out:
        json.dump(fixture, out)
        out.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
