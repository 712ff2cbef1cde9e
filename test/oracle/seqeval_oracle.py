"""Reference numbers for seqeval 1.2.2's classification report.

Random gold/predicted tag sequences, well formed and malformed (I- after O,
type switches inside a chunk, dangling E-, unknown prefixes), in default
(conlleval) mode and in strict mode with each scheme; each case records
`classification_report(..., output_dict=True)` under evalshard's flat key
names, or the error seqeval raises.

    python3 test/oracle/seqeval_oracle.py --seed 5 --out test/fixtures/seqeval-oracle.json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import warnings

import seqeval
from oracle_json import encode_numbers
from seqeval.metrics import classification_report
from seqeval.scheme import BILOU, IOB1, IOB2, IOBES, IOE1, IOE2

SCHEMES = {"IOB1": IOB1, "IOE1": IOE1, "IOB2": IOB2, "IOE2": IOE2, "IOBES": IOBES, "BILOU": BILOU}
PREFIXES = {"IOB1": "IOB", "IOE1": "IOE", "IOB2": "IOB", "IOE2": "IOE", "IOBES": "IOBES", "BILOU": "BILOU"}
TYPES = ["PER", "LOC", "ORG", "MISC", "Ünï", "A-B", "1", "10", "2"]


def random_sentence(rng, letters, length):
    tags = []
    for _ in range(length):
        if rng.random() < 0.45:
            tags.append("O")
        else:
            tags.append(rng.choice(letters) + "-" + rng.choice(TYPES[:4] if rng.random() < 0.8 else TYPES))
    if tags and rng.random() < 0.03:
        tags[rng.randrange(len(tags))] = rng.choice(["X-PER", "B", "I-"])
    return tags


def perturb(rng, tags, letters):
    out = list(tags)
    for i in range(len(out)):
        if rng.random() < 0.2:
            out[i] = "O" if rng.random() < 0.5 else rng.choice(letters) + "-" + rng.choice(TYPES[:4])
    return out




def flat(report):
    out = {}
    micro, macro, weighted = report["micro avg"], report["macro avg"], report["weighted avg"]
    out["seqeval_p"] = encode_numbers(micro["precision"])
    out["seqeval_r"] = encode_numbers(micro["recall"])
    out["seqeval_f"] = encode_numbers(micro["f1-score"])
    out["seqeval_macro_p"] = encode_numbers(macro["precision"])
    out["seqeval_macro_r"] = encode_numbers(macro["recall"])
    out["seqeval_macro_f"] = encode_numbers(macro["f1-score"])
    out["seqeval_weighted_p"] = encode_numbers(weighted["precision"])
    out["seqeval_weighted_r"] = encode_numbers(weighted["recall"])
    out["seqeval_weighted_f"] = encode_numbers(weighted["f1-score"])
    out["seqeval_support"] = encode_numbers(micro["support"])
    out["seqeval_per_type"] = {
        name: {"p": encode_numbers(v["precision"]), "r": encode_numbers(v["recall"]), "f": encode_numbers(v["f1-score"]), "support": encode_numbers(v["support"])}
        for name, v in report.items()
        if name not in ("micro avg", "macro avg", "weighted avg")
    }
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--cases", type=int, default=120)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    warnings.simplefilter("ignore")
    cases = []
    for index in range(args.cases):
        mode = rng.choice(["default", "default", "strict"])
        scheme = rng.choice(list(SCHEMES)) if mode == "strict" else None
        letters = PREFIXES[scheme] if scheme else rng.choice(["IOB", "IOBES", "BILOU", "IOE"])
        letters = [c for c in letters if c != "O"]
        docs = []
        for _ in range(rng.choice([1, 3, 8])):  # seqeval raises a TypeError on no sentences at all
            gold = [random_sentence(rng, letters, rng.choice([0, 1, 4, 12])) for _ in range(rng.choice([1, 2, 3]))]
            pred = [perturb(rng, sentence, letters) for sentence in gold]
            if scheme and rng.random() < 0.1 and pred[0]:
                # A prefix the scheme does not allow: strict mode raises.
                pred[0][0] = rng.choice([p for p in "BIESLU" if p not in PREFIXES[scheme]]) + "-PER"
            docs.append({"gold": gold, "pred": pred})
        y_true = [s for d in docs for s in d["gold"]]
        y_pred = [s for d in docs for s in d["pred"]]
        case = {"name": f"case-{index}", "mode": mode, "scheme": scheme, "docs": docs}
        try:
            kwargs = {"mode": "strict", "scheme": SCHEMES[scheme]} if mode == "strict" else {}
            case["expected"] = flat(classification_report(y_true, y_pred, output_dict=True, **kwargs))
        except Exception as error:
            case["error"] = f"{type(error).__name__}: {error}"
        cases.append(case)
    fixture = {
        "generator": "test/oracle/seqeval_oracle.py",
        "seed": args.seed,
        "python": platform.python_version(),
        "seqeval": getattr(seqeval, "__version__", "1.2.2"),
        "cases": cases,
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(fixture, out, ensure_ascii=False)
        out.write("\n")
    errors = [c["error"] for c in cases if "error" in c]
    print(f"{len(cases)} cases ({len(errors)} on which seqeval raises) -> {args.out}", file=sys.stderr)
    for error in errors[:4]:
        print("  ", error[:160], file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
