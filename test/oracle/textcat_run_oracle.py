"""Reference scores of a text-classification run with a transformer bundle,
computed independently of evalshard: Hugging Face `tokenizers` (Python, the
bundle's truncation), onnxruntime for Python in the fixed shapes README
describes, softmax, then spaCy's Scorer.score_cats.

    python3 test/oracle/textcat_run_oracle.py --bundle examples/transformers/spam/model \
        --corpus examples/spamassassin/test.jsonl --positive-label spam --sample 200 --seed 7 \
        --out-corpus /tmp/sample.jsonl --out /tmp/expected.json
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import random
import sys

import numpy as np
import onnxruntime
import spacy
from spacy.scorer import Scorer
from spacy.training import Example
from tokenizers import Tokenizer

from oracle_json import encode_numbers
from token_oracle import bucket_width


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", type=pathlib.Path, required=True)
    parser.add_argument("--corpus", type=pathlib.Path, required=True)
    parser.add_argument("--positive-label", default=None)
    parser.add_argument("--max-docs", type=int, default=32)
    parser.add_argument("--max-tokens", type=int, default=8192)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out-corpus", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args()

    lines = [line for line in args.corpus.read_text(encoding="utf-8").split("\n") if line.strip()]
    if args.sample and args.sample < len(lines):
        lines = [lines[i] for i in sorted(random.Random(args.seed).sample(range(len(lines)), args.sample))]
    args.out_corpus.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    config = json.loads((args.bundle / "config.json").read_text())
    labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    tokenizer = Tokenizer.from_file(str(args.bundle / "tokenizer.json"))
    max_length = tokenizer.truncation["max_length"]
    pad_id = tokenizer.token_to_id("[PAD]") or 0
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.add_session_config_entry("session.use_deterministic_compute", "1")
    session = onnxruntime.InferenceSession(str(args.bundle / "model.onnx"), options, providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]

    nlp = spacy.blank("en")
    examples = []
    for line in lines:
        record = json.loads(line)
        row = tokenizer.encode(record["text"]).ids
        width = bucket_width(len(row), max_length)
        rows = max(1, min(args.max_docs, args.max_tokens // width))
        ids = np.full((rows, width), pad_id, dtype=np.int64)
        mask = np.zeros((rows, width), dtype=np.int64)
        ids[:, : len(row)] = row
        mask[:, : len(row)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        logits = [float(x) for x in session.run(["logits"], {n: feeds[n] for n in names})[0][0]]
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = 0.0
        for value in exps:
            total += value
        predicted = nlp.make_doc("text")
        predicted.cats = {label: value / total for label, value in zip(labels, exps)}
        gold = nlp.make_doc("text")
        gold.cats = record["cats"]
        examples.append(Example(predicted, gold))
    expected = Scorer.score_cats(examples, "cats", labels=labels, multi_label=False, positive_label=args.positive_label)
    version = sys.version_info
    args.out.write_text(json.dumps({
        "docs": len(lines),
        "macro_summation": "compensated" if (version.major, version.minor) >= (3, 12) else "plain",
        "expected": encode_numbers(expected),
    }) + "\n")
    print(f"{len(lines)} documents -> {args.out_corpus}, scores -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
