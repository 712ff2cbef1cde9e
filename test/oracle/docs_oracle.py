"""Reference numbers for every document score family, from spaCy's Scorer.

Generates randomized gold/predicted document pairs in the shape of
`Doc.to_json()` (plus evalshard's `ents_missing` extension), covering
differing tokenizations, case differences, whitespace tokens, missing
annotation, empty documents, non-ASCII text, overlapping span groups and
non-projective trees, reads them back with `Doc.from_json` and records what
`Scorer(nlp).score(examples)` reports for a pipeline of senter, tagger,
morphologizer, parser, ner, lemmatizer and spancat. The TypeScript tests read
the same JSON and must produce every number and the key order.

    python3 test/oracle/docs_oracle.py --seed 11 --out test/fixtures/docs-oracle.json
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
from spacy.tokens import Doc
from spacy.training import Example

WORDS = ["the", "The", "cat", "sat", "on", "mat", "New", "York", "Ünïcødé", "naïve", "café", "标签", "東京",
         "İstanbul", "ΣΟΦΙΑ", ",", ".", "!", "U.S.", "don't", "e-mail", "42", "emoji🎉", "x"]
TAGS = ["NN", "VB", "DT", "JJ", "IN", "."]
POS = ["NOUN", "VERB", "DET", "ADJ", "ADP", "PUNCT", "PROPN"]
MORPHS = ["Number=Sing", "Number=Plur", "Case=Nom|Number=Sing", "Definite=Def|PronType=Art", "Mood=Ind|Tense=Past|VerbForm=Fin",
          "Number=Plur,Sing", "_"]
DEPS = ["nsubj", "obj", "det", "ROOT", "punct", "P", "amod", "case", "obl"]
ENT_LABELS = ["PER", "ORG", "LOC"]
SPAN_LABELS = ["A", "B", "Ç"]


def random_words(rng):
    n = rng.choice([0, 1, 2, 3, 5, 8, 13, 20])
    words, spaces = [], []
    for _ in range(n):
        if rng.random() < 0.05 and words and not spaces[-1] and not words[-1].isspace():
            # Whitespace beyond one space is a token of its own (as spaCy makes it).
            words.append(rng.choice(["\n", "\t", "\n  "]))
            spaces.append(False)
            continue
        words.append(rng.choice(WORDS))
        spaces.append(rng.random() < 0.7)
    return words, spaces


def text_and_offsets(words, spaces):
    text, offsets = "", []
    for word, space in zip(words, spaces):
        offsets.append((len(text), len(text) + len(word)))
        text += word + (" " if space else "")
    return text, offsets


def retokenize(rng, words, spaces):
    """Same text, other token boundaries: split some tokens, merge some unspaced neighbours."""
    out_words, out_spaces = [], []
    for word, space in zip(words, spaces):
        if len(word) > 1 and not word.isspace() and rng.random() < 0.15:
            cut = rng.randrange(1, len(word))
            out_words += [word[:cut], word[cut:]]
            out_spaces += [False, space]
        else:
            out_words.append(word)
            out_spaces.append(space)
    merged_words, merged_spaces = [], []
    for word, space in zip(out_words, out_spaces):
        if (merged_words and not merged_spaces[-1] and not word.isspace() and not merged_words[-1].isspace()
                and rng.random() < 0.15):
            merged_words[-1] += word
            merged_spaces[-1] = space
        else:
            merged_words.append(word)
            merged_spaces.append(space)
    return merged_words, merged_spaces


def noisy(rng, gold_value, choices, keep=0.7):
    if gold_value is not None and rng.random() < keep:
        return gold_value
    return rng.choice(choices)


def random_spans(rng, n_tokens, labels, overlap):
    spans = []
    taken = set()
    for _ in range(rng.randint(0, 3)):
        if n_tokens == 0:
            break
        start = rng.randrange(n_tokens)
        end = min(n_tokens, start + rng.randint(1, 3))
        if not overlap and any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        spans.append((start, end, rng.choice(labels)))
    return spans


def annotate(rng, words, spaces, gold=None, gold_words=None):
    """A to_json-shaped dict with random annotation (correlated with `gold` when given)."""
    text, offsets = text_and_offsets(words, spaces)
    n = len(words)
    same_tokens = gold is not None and gold_words == words
    g = (lambda i, key: gold["tokens"][i].get(key)) if same_tokens else (lambda i, key: None)
    tokens = [{"id": i, "start": s, "end": e} for i, (s, e) in enumerate(offsets)]
    for key, choices in (("tag", TAGS), ("pos", POS), ("morph", MORPHS), ("lemma", None)):
        if rng.random() < 0.15:
            continue  # attribute not annotated at all
        for i, token in enumerate(tokens):
            if rng.random() < 0.1:
                token[key] = ""  # missing value
            elif key == "lemma":
                token[key] = noisy(rng, g(i, key), [words[i].lower(), words[i], "be"])
            else:
                token[key] = noisy(rng, g(i, key), choices)
    has_deps = rng.random() < 0.7 and n > 0
    if has_deps:
        for i, token in enumerate(tokens):
            if rng.random() < 0.08:
                token["dep"], token["head"] = "", i
                continue
            head = g(i, "head") if g(i, "head") is not None and rng.random() < 0.7 else rng.randrange(n)
            token["head"] = head
            token["dep"] = "ROOT" if head == i else noisy(rng, g(i, "dep"), DEPS)
    doc = {"text": text, "tokens": tokens}
    if not has_deps and rng.random() < 0.6 and n > 0:
        cuts = sorted(set([0] + [rng.randrange(n) for _ in range(rng.randint(0, 2))]))
        bounds = cuts + [n]
        doc["sents"] = [{"start": offsets[a][0], "end": offsets[b - 1][1]} for a, b in zip(bounds, bounds[1:]) if a < b]
    if rng.random() < 0.8:
        ents = random_spans(rng, n, ENT_LABELS, overlap=False)
        ents = [(s, e, l) for s, e, l in ents if not any(words[i].isspace() for i in range(s, e))]
        doc["ents"] = [{"start": offsets[s][0], "end": offsets[e - 1][1], "label": l} for s, e, l in sorted(ents)]
        taken = {i for s, e, _ in ents for i in range(s, e)}
        missing = [i for i in range(n) if i not in taken and rng.random() < 0.15]
        if missing:
            doc["ents_missing"] = [{"start": offsets[i][0], "end": offsets[i][1]} for i in missing]
    if rng.random() < 0.8:
        groups = {"sc": random_spans(rng, n, SPAN_LABELS, overlap=True)}
        doc["spans"] = {
            key: [{"start": offsets[s][0], "end": offsets[e - 1][1], "label": l, "kb_id": ""} for s, e, l in spans]
            for key, spans in groups.items()
        }
    return doc


def make_pair(rng):
    words, spaces = random_words(rng)
    gold = annotate(rng, words, spaces)
    if rng.random() < 0.6:
        pred_words, pred_spaces = words, spaces
    else:
        pred_words, pred_spaces = retokenize(rng, words, spaces)
    if rng.random() < 0.1:
        pred_words = [w.upper() if rng.random() < 0.5 else w for w in pred_words]
    pred = annotate(rng, pred_words, pred_spaces, gold=gold, gold_words=words)
    return gold, pred


def to_doc(vocab, data):
    doc = Doc(vocab).from_json({k: v for k, v in data.items() if k != "ents_missing"})
    missing = [doc.char_span(m["start"], m["end"]) for m in data.get("ents_missing", [])]
    if missing:
        doc.set_ents([], missing=missing, default="unmodified")
    return doc




def pipeline():
    nlp = spacy.blank("en")
    for name in ["senter", "tagger", "morphologizer", "parser", "ner"]:
        nlp.add_pipe(name)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("spancat", config={"spans_key": "sc"})
    return nlp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--cases", type=int, default=80)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    nlp = pipeline()
    scorer = Scorer(nlp)
    cases = []
    for index in range(args.cases):
        docs = [make_pair(rng) for _ in range(rng.choice([1, 2, 5, 12, 30]))]
        case = {"name": f"case-{index}", "docs": [{"gold": g, "pred": p} for g, p in docs]}
        try:
            examples = [Example(to_doc(nlp.vocab, p), to_doc(nlp.vocab, g)) for g, p in docs]
            case["expected"] = encode_numbers(scorer.score(examples))
        except Exception as error:  # the reference raising is part of its behaviour
            case["error"] = f"{type(error).__name__}: {error}"
        cases.append(case)
    fixture = {
        "generator": "test/oracle/docs_oracle.py",
        "seed": args.seed,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "cases": cases,
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(fixture, out, ensure_ascii=False, allow_nan=False)
        out.write("\n")
    errors = [case["error"] for case in cases if "error" in case]
    print(f"{len(cases)} cases ({len(errors)} on which spaCy raises) -> {args.out}", file=sys.stderr)
    for error in errors[:5]:
        print("  ", error[:200], file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
