"""Paired bootstrap comparison of two runs, computed independently of evalshard.

evalshard weights document `id` in bootstrap replicate b by a Poisson(1) draw
from cyrb53(f"{seed}\\0{b}\\0{id}") (scorer/src/bootstrap/poissonWeight.ts).
Two runs over the same corpus with the same seed and replicate count
therefore resample the same documents in every replicate, and the replicate
differences d_b = B_b[key] - A_b[key] (both values present) form a paired
bootstrap. For each key this script reports

    a, b         the runs' own scores; difference = b - a
    interval     numpy's default (linear) quantiles (1 - confidence) / 2 and
                 1 - (1 - confidence) / 2 of the d_b
    p_value      two-sided: min(1, 2 * min(#{d_b <= 0}, #{d_b >= 0}) / n),
                 n = replicates with both values (null when n = 0; 1 when
                 every d_b is 0)
    replicates   n

Modes:

    # the paired math alone, on stored replicate score records: the input is
    # {"a": run, "b": run, "keys": [...]?, "confidence": c?} (or a list of
    # those), each run in the shape of ComparableRun (runId, scores,
    # corpusDigest, bootstrap {replicates, seed} or null, replicateScores or null)
    python3 test/oracle/paired_bootstrap_oracle.py --from-replicates case.json

    # end to end: the weights, then spaCy's Scorer on every weighted replicate
    # corpus (each example repeated weight times, in corpus order), as
    # `evalshard score --format jsonl --bootstrap B --seed S` scores them
    python3 test/oracle/paired_bootstrap_oracle.py --gold G.jsonl --pred-a A.jsonl --pred-b B.jsonl \\
        --replicates 200 --seed 7 [--keys cats_score,cats_macro_f] [--confidence 0.95] \\
        [--multi-label] [--threshold T] [--positive-label L] [--cats-labels L1,L2]

    # the weights alone: of the ids in a JSON list, or of a gold file's documents
    python3 test/oracle/paired_bootstrap_oracle.py --weights-only --ids ids.json --replicates 5 --seed 7
    python3 test/oracle/paired_bootstrap_oracle.py --weights-only --gold G.jsonl --replicates 5 --seed 7

Document ids are evalshard's: the record's "id" as JavaScript's String()
writes it, or else `<gold file name>@<byte offset of the record's line>`
(blank lines are not records). Records in the shape of `Doc.to_json()` are
read as test/oracle/docs_oracle.py reads them; text-classification records
({"text", "cats"}, no "tokens") are documents of no tokens with those
categories. Category labels default to the gold's, in order of first
appearance; the other score options default as `evalshard score`'s do.
Output: JSON on stdout, {"paired", "confidence", "keys": [{key, a, b,
difference, interval, p_value, replicates}], ...}.
"""

from __future__ import annotations

import argparse
import decimal
import json
import math
import os
import sys

import numpy as np

DEFAULT_CONFIDENCE = 0.95


# --- Weights -----------------------------------------------------------------

def _imul(a: int, b: int) -> int:
    """Math.imul on 32-bit patterns (kept unsigned here: the bits are the same)."""
    return (a * b) & 0xFFFFFFFF


def cyrb53(text: str) -> int:
    """cyrb53 over the UTF-16 code units JavaScript's charCodeAt sees."""
    units = text.encode("utf-16-le", "surrogatepass")
    h1, h2 = 0xDEADBEEF, 0x41C6CE57
    for i in range(0, len(units), 2):
        code = units[i] | (units[i + 1] << 8)
        h1 = _imul(h1 ^ code, 2654435761)
        h2 = _imul(h2 ^ code, 1597334677)
    h1 = _imul(h1 ^ (h1 >> 16), 2246822507)
    h1 ^= _imul(h2 ^ (h2 >> 13), 3266489909)
    h2 = _imul(h2 ^ (h2 >> 16), 2246822507)
    h2 ^= _imul(h1 ^ (h1 >> 13), 3266489909)
    return 4294967296 * (0x1FFFFF & h2) + h1


def poisson_weight(document_id: str, replicate: int, seed) -> int:
    uniform = cyrb53(f"{js_string(seed)}\0{replicate}\0{document_id}") / 2**53
    probability = math.exp(-1)
    cumulative = probability
    k = 0
    while uniform > cumulative and k < 64:
        k += 1
        probability /= k
        cumulative += probability
    return k


# --- Document ids --------------------------------------------------------------

def js_number_string(x: float) -> str:
    """JavaScript's Number::toString: the shortest round-trip digits, JS layout."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    parts = decimal.Decimal(repr(abs(x))).as_tuple()
    digits = "".join(map(str, parts.digits))
    n = len(digits) + parts.exponent  # value = 0.digits * 10**n
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def js_string(value) -> str:
    """String(value) in JavaScript, for the JSON values an "id" can hold."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return js_number_string(float(value))
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"


def read_records(path: str) -> list[tuple[str, dict]]:
    """(id, record) for each JSON line, ids as evalshard's reader gives them."""
    name = os.path.basename(path)
    with open(path, "rb") as f:
        data = f.read()
    records, offset = [], 0
    for raw in data.split(b"\n"):
        start, offset = offset, offset + len(raw) + 1
        line = raw[:-1] if raw.endswith(b"\r") else raw
        if all(byte in b" \t\r" for byte in line):
            continue  # a blank line is not a record
        text = line.decode("utf-8")
        record = json.loads(text)
        if "id" in record:
            # JavaScript reads every JSON number as a double before String() writes it.
            number_id = json.loads(text, parse_int=float)["id"]
            doc_id = js_string(number_id)
        else:
            doc_id = f"{name}@{start}"
        records.append((doc_id, record))
    return records


# --- The paired math -----------------------------------------------------------

def scalar(value):
    """A score that takes part in comparisons: a number (NaN is none) or None; else NotImplemented."""
    if hasattr(value, "item") and not isinstance(value, (list, dict)):
        value = value.item()
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return NotImplemented
    return None if math.isnan(value) else float(value)


def scalar_keys(scores: dict) -> list[str]:
    return [key for key, value in scores.items() if not key.endswith("_ci") and scalar(value) is not NotImplemented]


def select_keys(scores_a: dict, scores_b: dict, requested):
    in_b = set(scalar_keys(scores_b))
    available = [key for key in scalar_keys(scores_a) if key in in_b]
    if requested is None:
        return available
    unknown = [key for key in requested if key not in available]
    if unknown:
        raise SystemExit(f"error: unknown score key(s) {', '.join(unknown)}; available: {', '.join(available)}")
    return list(dict.fromkeys(requested))


def has_replicates(run: dict) -> bool:
    return run.get("bootstrap") is not None and bool(run.get("replicateScores"))


def is_paired(a: dict, b: dict) -> bool:
    if a["corpusDigest"] != b["corpusDigest"] or not has_replicates(a) or not has_replicates(b):
        return False
    for run in (a, b):
        if len(run["replicateScores"]) != run["bootstrap"]["replicates"]:
            return False
    return (a["bootstrap"]["replicates"] == b["bootstrap"]["replicates"]
            and a["bootstrap"]["seed"] == b["bootstrap"]["seed"])


def replicate_value(record: dict, key: str):
    value = scalar(record.get(key))
    return None if value is NotImplemented else value


def compare_key(key, a, b, paired, confidence):
    value_a = scalar(a["scores"].get(key))
    value_b = scalar(b["scores"].get(key))
    result = {
        "key": key,
        "a": value_a,
        "b": value_b,
        "difference": None if value_a is None or value_b is None else value_b - value_a,
        "interval": None,
        "p_value": None,
        "replicates": 0,
    }
    if not paired:
        return result
    pairs = [(replicate_value(ra, key), replicate_value(rb, key)) for ra, rb in zip(a["replicateScores"], b["replicateScores"])]
    pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
    n = len(pairs)
    result["replicates"] = n
    if n == 0:
        return result
    d = np.array([y for _, y in pairs], dtype=np.float64) - np.array([x for x, _ in pairs], dtype=np.float64)
    tail = (1 - confidence) / 2
    low, high = np.quantile(d, [tail, 1 - tail], method="linear")
    result["interval"] = [float(low), float(high)]
    below, above = int(np.count_nonzero(d <= 0)), int(np.count_nonzero(d >= 0))
    result["p_value"] = min(1.0, 2 * min(below, above) / n)
    return result


def compare(a: dict, b: dict, keys, confidence: float) -> dict:
    paired = is_paired(a, b)
    return {
        "paired": paired,
        "confidence": confidence,
        "keys": [compare_key(key, a, b, paired, confidence) for key in select_keys(a["scores"], b["scores"], keys)],
    }


# --- spaCy's scores of weighted corpora ----------------------------------------

def to_doc(vocab, record: dict):
    from spacy.tokens import Doc

    if "tokens" not in record:
        # A text-classification record: a document of no tokens.
        doc = Doc(vocab, words=[])
        if "cats" in record:
            doc.cats = dict(record["cats"])
        return doc
    data = {k: v for k, v in record.items() if k not in ("ents_missing", "id")}
    doc = Doc(vocab).from_json(data)
    missing = [doc.char_span(m["start"], m["end"]) for m in record.get("ents_missing", [])]
    if missing:
        doc.set_ents([], missing=missing, default="unmodified")
    return doc


class CorpusScorer:
    """spaCy's Scorer over the pipeline whose scores `evalshard score` reports for this gold."""

    def __init__(self, gold: list[dict], args):
        import spacy

        self.nlp = nlp = spacy.blank("en")
        has_deps = any(token.get("dep") for record in gold for token in record.get("tokens", []))
        nlp.add_pipe("parser" if has_deps else "senter")
        nlp.add_pipe("tagger")
        nlp.add_pipe("morphologizer")
        nlp.add_pipe("ner")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        span_keys = list(dict.fromkeys(key for record in gold for key in record.get("spans", {})))
        for key in span_keys:
            nlp.add_pipe("spancat", name=f"spancat_{key}", config={"spans_key": key})
        labels = args.cats_labels.split(",") if args.cats_labels else list(
            dict.fromkeys(label for record in gold for label in record.get("cats", {})))
        self.cats = None if not labels else {
            "labels": labels,
            "multi_label": args.multi_label,
            "threshold": args.threshold,
            "positive_label": args.positive_label,
        }

    def score(self, examples) -> dict:
        from spacy.scorer import Scorer

        scores = Scorer(self.nlp).score(examples)
        if self.cats is None:
            return scores
        cats = Scorer.score_cats(examples, "cats", **self.cats)
        # The textcat's scores come in its pipeline place: after the ner's.
        ordered = {}
        for key, value in scores.items():
            ordered[key] = value
            if key == "ents_per_type":
                ordered.update(cats)
        ordered.update(cats)
        return ordered


def run_of(name, scorer, examples, weights, seed, replicates) -> dict:
    return {
        "runId": name,
        "scores": {key: value for key, value in scorer.score(examples).items()},
        "corpusDigest": "same gold",
        "bootstrap": {"replicates": replicates, "seed": seed},
        "replicateScores": [
            {key: replicate_value(scores, key) for key in scores}
            for scores in (
                scorer.score([example for example, w in zip(examples, column) for _ in range(w)])
                for column in zip(*weights)
            )
        ],
    }


def end_to_end(args) -> dict:
    from spacy.training import Example

    gold = read_records(args.gold)
    predictions = {"a": read_records(args.pred_a), "b": read_records(args.pred_b)}
    for side, records in predictions.items():
        if len(records) != len(gold):
            raise SystemExit(f"error: {len(gold)} gold documents but {len(records)} predicted (pred-{side})")
    scorer = CorpusScorer([record for _, record in gold], args)
    vocab = scorer.nlp.vocab
    gold_docs = [to_doc(vocab, record) for _, record in gold]
    weights = [[poisson_weight(doc_id, b, args.seed) for b in range(args.replicates)] for doc_id, _ in gold]
    runs = {}
    for side, records in predictions.items():
        examples = [Example(to_doc(vocab, record), reference) for (_, record), reference in zip(records, gold_docs)]
        runs[side] = run_of(side, scorer, examples, weights, args.seed, args.replicates)
    result = compare(runs["a"], runs["b"], parse_keys(args.keys), args.confidence)
    version = sys.version_info
    result.update({
        "documents": len(gold),
        "replicates": args.replicates,
        "seed": args.seed,
        # Python's sum() of floats (cats macro averages): compensated from 3.12 on.
        "macro_summation": "compensated" if (version.major, version.minor) >= (3, 12) else "plain",
    })
    return result


# --- Command line --------------------------------------------------------------

def parse_keys(text):
    return None if text is None else [key for key in text.split(",") if key != ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from-replicates", metavar="FILE")
    parser.add_argument("--weights-only", action="store_true")
    parser.add_argument("--ids", metavar="FILE", help="a JSON list of document ids (--weights-only)")
    parser.add_argument("--gold")
    parser.add_argument("--pred-a")
    parser.add_argument("--pred-b")
    parser.add_argument("--format", choices=["jsonl", "textcat"], default="jsonl",
                        help="both are JSON lines: spaCy documents and/or {text, cats} records")
    parser.add_argument("--replicates", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keys", help="comma-separated score keys (default: the scalar keys both runs have)")
    parser.add_argument("--confidence", type=float)
    parser.add_argument("--cats-labels")
    parser.add_argument("--multi-label", action="store_true")
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--positive-label")
    args = parser.parse_args()

    if args.from_replicates is not None:
        with open(args.from_replicates, encoding="utf-8") as f:
            case = json.load(f)
        def one(case):
            keys = parse_keys(args.keys) if args.keys is not None else case.get("keys")
            confidence = args.confidence if args.confidence is not None else case.get("confidence") or DEFAULT_CONFIDENCE
            return compare(case["a"], case["b"], keys, confidence)

        # A list of cases gives a list of comparisons: one process for a whole batch.
        result = [one(c) for c in case] if isinstance(case, list) else one(case)
    elif args.weights_only:
        if args.replicates is None:
            parser.error("--weights-only needs --replicates")
        if args.ids is not None:
            with open(args.ids, encoding="utf-8") as f:
                ids = json.load(f)
        elif args.gold is not None:
            ids = [doc_id for doc_id, _ in read_records(args.gold)]
        else:
            parser.error("--weights-only needs --ids or --gold")
        result = {
            "seed": args.seed,
            "ids": ids,
            "weights": [[poisson_weight(doc_id, b, args.seed) for b in range(args.replicates)] for doc_id in ids],
        }
    else:
        if None in (args.gold, args.pred_a, args.pred_b, args.replicates):
            parser.error("give --from-replicates, --weights-only, or --gold, --pred-a, --pred-b and --replicates")
        if args.confidence is None:
            args.confidence = DEFAULT_CONFIDENCE
        result = end_to_end(args)
    json.dump(result, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
