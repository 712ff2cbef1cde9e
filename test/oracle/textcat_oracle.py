"""Reference numbers for text classification, from spaCy's own Scorer.

Generates randomized gold/predicted category documents (ties, missing gold
labels, all-zero gold, labels with one gold class, unknown labels, non-ASCII
label names, labels that look like integers, thousands of distinct scores) and records what
`spacy.scorer.Scorer.score_cats` returns for each case. The TypeScript tests
replay the same documents through evalshard and require every number to be
equal. Cases on which spaCy raises are recorded with the error.

    python3 test/oracle/textcat_oracle.py --seed 7 --out test/fixtures/textcat-oracle.json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys

from oracle_json import encode_numbers
import spacy
from spacy.scorer import Scorer
from spacy.training import Example

# Labels like "0" and "10" are reordered by JavaScript objects; the tests read
# the categories back from JSON lines in their order.
LABEL_POOL = ["POS", "NEG", "spam", "ham", "Ünïcødé", "标签", "A", "b c", "x-y", "0", "1", "10", "2"]
SCORE_GRID = [0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 0.9, 1.0]


def random_labels(rng: random.Random) -> list[str]:
    return rng.sample(LABEL_POOL, rng.randint(1, 5))


def random_score(rng: random.Random, tie_heavy: bool) -> float:
    if tie_heavy:
        return rng.choice(SCORE_GRID)
    return rng.choice([rng.random(), round(rng.random(), 2), rng.random() * 1e-3])


def gold_pairs(rng, labels, multi_label):
    present = [label for label in labels if rng.random() > 0.15]
    if rng.random() < 0.1:
        present.append("UNKNOWN")
    rng.shuffle(present)
    style = rng.random()
    if not multi_label and present and style < 0.7:
        winner = rng.choice(present)
        return [[label, 1.0 if label == winner else 0.0] for label in present]
    if style < 0.85:
        return [[label, float(rng.random() < 0.4)] for label in present]
    return [[label, rng.choice([0.0, 1.0, 0.5, 2.0, -1.0])] for label in present]


def pred_pairs(rng, labels, tie_heavy):
    if rng.random() < 0.03:
        return []  # nothing predicted: spaCy raises on it for exclusive classes
    present = [label for label in labels if rng.random() > 0.05] or [labels[0]]
    rng.shuffle(present)
    return [[label, random_score(rng, tie_heavy)] for label in present]


def make_case(rng: random.Random, index: int, doc_count: int | None = None) -> dict:
    labels = random_labels(rng)
    multi_label = rng.random() < 0.5
    threshold = rng.choice([None, None, 0.5, 0.3, round(rng.random(), 3)])
    positive_label = rng.choice([None, labels[0]]) if len(labels) == 2 else None
    tie_heavy = rng.random() < 0.5
    if doc_count is None:
        doc_count = rng.choice([0, 1, 2, 5, 20, 60, 150])
    docs = [
        {"gold": gold_pairs(rng, labels, multi_label), "pred": pred_pairs(rng, labels, tie_heavy)}
        for _ in range(doc_count)
    ]
    return {
        "name": f"case-{index}",
        "options": {
            "labels": labels,
            "multi_label": multi_label,
            "threshold": threshold,
            "positive_label": positive_label,
        },
        "docs": docs,
    }




def score_case(nlp, case: dict) -> dict:
    examples = []
    for doc in case["docs"]:
        reference = nlp.make_doc("text")
        reference.cats = {label: value for label, value in doc["gold"]}
        predicted = nlp.make_doc("text")
        predicted.cats = {label: value for label, value in doc["pred"]}
        examples.append(Example(predicted, reference))
    options = case["options"]
    try:
        scores = Scorer.score_cats(
            examples,
            "cats",
            labels=options["labels"],
            multi_label=options["multi_label"],
            positive_label=options["positive_label"],
            threshold=options["threshold"],
        )
        return {"expected": encode_numbers(scores)}
    except Exception as error:  # the reference raising is part of its behaviour
        return {"error": f"{type(error).__name__}: {error}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--cases", type=int, default=120)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    nlp = spacy.blank("en")
    cases = [make_case(rng, i) for i in range(args.cases)]
    # Thousands of distinct scores: numpy's pairwise summation past 128 terms
    # and the accumulator's flush past 4096 pending scores.
    cases.append(make_case(rng, len(cases), doc_count=6000))
    for case in cases:
        case.update(score_case(nlp, case))
    version = sys.version_info
    fixture = {
        "generator": "test/oracle/textcat_oracle.py",
        "seed": args.seed,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        # Python's sum() of floats: compensated from 3.12 on.
        "macro_summation": "compensated" if (version.major, version.minor) >= (3, 12) else "plain",
        "cases": cases,
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(fixture, out, ensure_ascii=False, allow_nan=False)
        out.write("\n")
    errors = sum(1 for case in cases if "error" in case)
    print(f"{len(cases)} cases ({errors} on which spaCy raises) -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
