"""Reference scores of a token-classification run, computed independently of
evalshard: Hugging Face `tokenizers` (Python) with is_pretokenized=True,
onnxruntime for Python, the windowing, fixed-shape batching and first-subword
rule README describes, then spaCy's Scorer (pos_acc, tag_acc, ents_*) and
seqeval's classification report.

    python3 test/oracle/token_oracle.py --bundle examples/transformers/pos/model \
        --corpus test/data/ud-english-ewt/en_ewt-ud-dev.conllu --annotation pos \
        --sample 40 --seed 7 --out-corpus /tmp/sample.conllu --out /tmp/expected.json

A seeded subsample of the corpus's documents is written to --out-corpus (the
lines as they were), and the scores of that subsample to --out.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import random
import sys
import warnings

import numpy as np
import onnxruntime
import spacy
from seqeval.metrics import classification_report
from spacy.scorer import Scorer, get_ner_prf
from spacy.tokens import Doc
from spacy.training import Example
from tokenizers import Tokenizer

from oracle_json import encode_numbers


def documents(path: pathlib.Path):
    """Blank-line separated sentences grouped by `# newdoc` comments when the file has them."""
    blocks, lines = [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip() == "":
            if lines:
                blocks.append(lines)
            lines = []
        else:
            lines.append(line)
    if lines:
        blocks.append(lines)
    grouped = any(line.startswith("# newdoc") for block in blocks for line in block)
    docs = []
    for block in blocks:
        if not grouped or any(line.startswith("# newdoc") for line in block) or not docs:
            docs.append([])
        docs[-1].append(block)
    return docs


def words_and_gold(doc, fmt):
    """Words, gold value per word (pos/tag) and entity tags per sentence."""
    words, upos, xpos, tags = [], [], [], []
    for sentence in doc:
        sentence_tags = []
        for line in sentence:
            if line.startswith("#"):
                continue
            fields = line.split("\t")
            if fmt == "conllu":
                if "-" in fields[0] or "." in fields[0]:
                    continue
                words.append(fields[1])
                upos.append(None if fields[3] == "_" else fields[3])
                xpos.append(None if fields[4] == "_" else fields[4])
            else:
                indexed = len(fields) >= 3 and fields[0].isdigit()
                if not indexed:
                    fields = line.split()
                words.append(fields[1] if indexed else fields[0])
                sentence_tags.append(fields[2] if indexed else fields[-1])
        tags.append(sentence_tags)
    return words, upos, xpos, tags


def plan_windows(first_subwords, subwords, room):
    """README's windows: half-overlapping windows of `room` subwords; a word belongs to the window where its first subword has the most context."""
    if subwords <= room:
        windows = [(0, subwords)]
    else:
        windows, start, stride = [], 0, max(1, room // 2)
        while True:
            if start + room >= subwords:
                windows.append((subwords - room, subwords))
                break
            windows.append((start, start + room))
            start += stride
    owners = []
    for position in first_subwords:
        if position is None:
            owners.append(None)
            continue
        best, best_context = -1, -1
        for w, (start, end) in enumerate(windows):
            if start <= position < end and min(position - start, end - 1 - position) > best_context:
                best, best_context = w, min(position - start, end - 1 - position)
        owners.append((best, position - windows[best][0]))
    return windows, owners


def bucket_width(length, max_length):
    width = 16
    while width < max_length:
        if width >= length:
            return width
        width *= 2
    return max_length


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", type=pathlib.Path, required=True)
    parser.add_argument("--corpus", type=pathlib.Path, required=True)
    parser.add_argument("--annotation", choices=["pos", "tag", "ents"], required=True)
    parser.add_argument("--scheme", choices=["IOB2", "BILOU", "IOBES", "plain"], default="IOB2")
    parser.add_argument("--max-docs", type=int, default=32)
    parser.add_argument("--max-tokens", type=int, default=8192)
    parser.add_argument("--batching", choices=["fixed", "single"], default="fixed")
    parser.add_argument("--max-length", type=int, default=0, help="window length, special tokens included (0: the tokenizer's truncation length)")
    parser.add_argument("--sample", type=int, default=0, help="documents to keep (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out-corpus", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args()
    fmt = "conllu" if args.corpus.suffix == ".conllu" else "iob"

    docs = documents(args.corpus)
    if args.sample and args.sample < len(docs):
        keep = sorted(random.Random(args.seed).sample(range(len(docs)), args.sample))
        docs = [docs[i] for i in keep]
    args.out_corpus.write_text("".join("".join(line + "\n" for line in sentence) + "\n" for doc in docs for sentence in doc), encoding="utf-8")

    config = json.loads((args.bundle / "config.json").read_text())
    labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    tokenizer_json = json.loads((args.bundle / "tokenizer.json").read_text())
    max_length = args.max_length or (tokenizer_json.get("truncation") or {}).get("max_length") or config.get("max_position_embeddings", 512)
    tokenizer = Tokenizer.from_file(str(args.bundle / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    plain = tokenizer.encode("hello world", add_special_tokens=False).ids
    decorated = tokenizer.encode("hello world", add_special_tokens=True).ids
    at = next(i for i in range(len(decorated)) if decorated[i : i + len(plain)] == plain)
    prefix, suffix = decorated[:at], decorated[at + len(plain) :]
    pad_id = next((i for i in (tokenizer.token_to_id("[PAD]"), tokenizer.token_to_id("<pad>")) if i is not None), 0)
    room = max_length - len(prefix) - len(suffix)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.add_session_config_entry("session.use_deterministic_compute", "1")
    session = onnxruntime.InferenceSession(str(args.bundle / "model.onnx"), options, providers=["CPUExecutionProvider"])
    input_names = [i.name for i in session.get_inputs()]

    def logits_of(row):
        if args.batching == "single":
            width, rows = len(row), 1
        else:
            width = bucket_width(len(row), max_length)
            rows = max(1, min(args.max_docs, args.max_tokens // width))
        ids = np.full((rows, width), pad_id, dtype=np.int64)
        mask = np.zeros((rows, width), dtype=np.int64)
        ids[:, : len(row)] = row  # the row and its filler copies
        mask[:, : len(row)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return session.run(["logits"], {name: feeds[name] for name in input_names})[0][0]

    nlp = spacy.blank("en")
    examples, gold_sequences, predicted_sequences, window_count = [], [], [], 0
    for doc in docs:
        words, upos, xpos, gold_tags = words_and_gold(doc, fmt)
        pieces = tokenizer.encode(words, is_pretokenized=True, add_special_tokens=False)
        first = [None] * len(words)
        for position, word in enumerate(pieces.word_ids):
            if word is not None and first[word] is None:
                first[word] = position
        windows, owners = plan_windows(first, len(pieces.ids), room)
        window_count += len(windows)
        predicted = [None] * len(words)
        for w, (start, end) in enumerate(windows):
            owned = [word for word, owner in enumerate(owners) if owner is not None and owner[0] == w]
            if not owned:
                continue
            logits = logits_of(prefix + pieces.ids[start:end] + suffix)
            for word in owned:
                predicted[word] = labels[int(np.argmax(logits[len(prefix) + owners[word][1]]))]
        gold_doc, pred_doc = Doc(nlp.vocab, words=words), Doc(nlp.vocab, words=words)
        if args.annotation in ("pos", "tag"):
            gold_values = upos if args.annotation == "pos" else xpos
            for token, value in zip(gold_doc, gold_values):
                if value is not None:
                    setattr(token, f"{args.annotation}_", value)
            for token, value in zip(pred_doc, predicted):
                if value is not None:
                    setattr(token, f"{args.annotation}_", value)
        else:
            written = [value or "O" for value in predicted]
            if args.scheme == "plain":
                written = ["O" if v == "O" else ("I-" if i > 0 and written[i - 1] == v else "B-") + v for i, v in enumerate(written)]
            gold_doc = Doc(nlp.vocab, words=words, ents=spacy_tags([t for s in gold_tags for t in s]))
            pred_doc = Doc(nlp.vocab, words=words, ents=spacy_tags(written))
            at = 0
            for sentence in gold_tags:
                gold_sequences.append(sentence)
                predicted_sequences.append(written[at : at + len(sentence)])
                at += len(sentence)
        examples.append(Example(pred_doc, gold_doc))

    if args.annotation in ("pos", "tag"):
        expected = Scorer.score_token_attr(examples, args.annotation)
    else:
        expected = get_ner_prf(examples)
        if fmt == "iob":
            warnings.simplefilter("ignore")
            expected.update(flat_seqeval(classification_report(gold_sequences, predicted_sequences, output_dict=True, zero_division=0)))
    summary = {"docs": len(docs), "windows": window_count, "labels": labels, "expected": encode_numbers(expected)}
    args.out.write_text(json.dumps(summary, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents -> {args.out_corpus}, scores -> {args.out}", file=sys.stderr)
    return 0


def spacy_tags(tags):
    """Doc(ents=…) as evalshard reads tags: S/U as B, E/L as I, an I- after O, another type or at the start as B-."""
    out = [t.replace("S-", "B-", 1) if t.startswith("S-") else t for t in tags]
    out = ["B-" + t[2:] if t.startswith("U-") else "I-" + t[2:] if t[:2] in ("E-", "L-") else t for t in out]
    for i, tag in enumerate(out):
        if tag.startswith("I-") and (i == 0 or out[i - 1] == "O" or out[i - 1][2:] != tag[2:]):
            out[i] = "B-" + tag[2:]
    return out


def flat_seqeval(report):
    micro, macro, weighted = report["micro avg"], report["macro avg"], report["weighted avg"]
    out = {
        "seqeval_p": micro["precision"], "seqeval_r": micro["recall"], "seqeval_f": micro["f1-score"],
        "seqeval_macro_p": macro["precision"], "seqeval_macro_r": macro["recall"], "seqeval_macro_f": macro["f1-score"],
        "seqeval_weighted_p": weighted["precision"], "seqeval_weighted_r": weighted["recall"], "seqeval_weighted_f": weighted["f1-score"],
        "seqeval_support": micro["support"],
    }
    out["seqeval_per_type"] = {
        name: {"p": v["precision"], "r": v["recall"], "f": v["f1-score"], "support": v["support"]}
        for name, v in report.items()
        if name not in ("micro avg", "macro avg", "weighted avg")
    }
    return out


if __name__ == "__main__":
    raise SystemExit(main())
