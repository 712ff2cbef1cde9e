"""Times the reference scorers on the benchmark's documents, for bench:scorer.

    python3 test/oracle/bench_reference.py spacy GOLD.jsonl PRED.jsonl
    python3 test/oracle/bench_reference.py seqeval GOLD.iob2 PRED.iob2

Prints {"docs": N, "seconds": S}: reading the files and scoring them, as a
user of the reference would.
"""

from __future__ import annotations

import json
import sys
import time
import warnings


def spacy_run(gold_path: str, pred_path: str) -> dict:
    import spacy
    from spacy.scorer import Scorer
    from spacy.tokens import Doc
    from spacy.training import Example

    nlp = spacy.blank("en")
    for name in ["senter", "tagger", "morphologizer", "parser", "ner"]:
        nlp.add_pipe(name)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("spancat", config={"spans_key": "sc"})
    scorer = Scorer(nlp)

    def doc(data):
        d = Doc(nlp.vocab).from_json({k: v for k, v in data.items() if k != "ents_missing"})
        missing = [d.char_span(m["start"], m["end"]) for m in data.get("ents_missing", [])]
        if missing:
            d.set_ents([], missing=missing, default="unmodified")
        return d

    start = time.perf_counter()
    with open(gold_path, encoding="utf-8") as g, open(pred_path, encoding="utf-8") as p:
        examples = [Example(doc(json.loads(pl)), doc(json.loads(gl))) for gl, pl in zip(g, p)]
    scorer.score(examples)
    return {"docs": len(examples), "seconds": time.perf_counter() - start}


def read_iob(path: str):
    sentences, current = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if current:
                    sentences.append(current)
                current = []
            elif not line.startswith("#"):
                current.append(line.split("\t")[2])
    if current:
        sentences.append(current)
    return sentences


def seqeval_run(gold_path: str, pred_path: str) -> dict:
    from seqeval.metrics import classification_report

    warnings.simplefilter("ignore")
    start = time.perf_counter()
    y_true, y_pred = read_iob(gold_path), read_iob(pred_path)
    classification_report(y_true, y_pred, output_dict=True)
    return {"docs": len(y_true), "seconds": time.perf_counter() - start}


if __name__ == "__main__":
    kind, gold, pred = sys.argv[1:4]
    print(json.dumps(spacy_run(gold, pred) if kind == "spacy" else seqeval_run(gold, pred)))
