"""Reference numbers for every document score family, from spaCy's Scorer.

Generates randomized gold/predicted document pairs in the shape of
`Doc.to_json()` (plus evalshard's `ents_missing` extension), covering
differing tokenizations, case differences, whitespace tokens, missing
annotation, empty documents, non-ASCII text, overlapping span groups and
non-projective trees, labels and keys that look like integers ("0", "10":
JavaScript objects reorder those), reads them back with `Doc.from_json` and
records what `Scorer(nlp).score(examples)` reports. Each case has its own
pipeline: a senter or a parser (whose sentence scores come in its own
position), tagger, morphologizer, ner, maybe a textcat (exclusive or
multi-label, labels in a random order), lemmatizer, and one spancat per span
key in a random order. Documents are stored as the JSON lines that spaCy's
`to_json` makes, so the TypeScript tests read them with evalshard's own
reader; they must produce every number and the key order.

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
          "Number=Plur,Sing", "_", "2=Yes", "10=No|Case=Acc"]
DEPS = ["nsubj", "obj", "det", "ROOT", "punct", "P", "amod", "case", "obl", "2", "10"]
ENT_LABELS = ["PER", "ORG", "LOC", "1", "10", "2"]
SPAN_LABELS = ["A", "B", "Ç", "0", "12"]
SPAN_KEYS = ["sc", "10", "2"]
CAT_LABELS = ["0", "1", "10", "POS", "neg", "Ü"]
CAT_SCORES = [0.0, 0.1, 0.5, 0.5, 0.5, 0.9, 1.0]


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


def random_cats(rng, labels, gold, multi_label):
    """Categories over a shuffled subset of the labels: one-hot (or all zero) gold, tie-heavy predictions."""
    present = [label for label in labels if rng.random() > 0.2] or [labels[0]]
    rng.shuffle(present)
    if not gold:
        return {label: rng.choice(CAT_SCORES) for label in present}
    if multi_label:
        return {label: float(rng.random() < 0.4) for label in present}
    winner = rng.choice(present + [None])
    return {label: 1.0 if label == winner else 0.0 for label in present}


def annotate(rng, words, spaces, setup, gold=None, gold_words=None):
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
        keys = [key for key in setup["span_keys"] if rng.random() < 0.8]
        rng.shuffle(keys)
        groups = {key: random_spans(rng, n, SPAN_LABELS, overlap=True) for key in keys}
        doc["spans"] = {
            key: [{"start": offsets[s][0], "end": offsets[e - 1][1], "label": l, "kb_id": ""} for s, e, l in spans]
            for key, spans in groups.items()
        }
    if setup["cats"] is not None:
        if gold is None:
            wanted = rng.random() < 0.9
        elif "cats" in gold:
            # Gold categories without predicted ones make spaCy raise: a few cases only.
            wanted = not (setup["cats"]["drop_predicted"] and rng.random() < 0.5)
        else:
            wanted = rng.random() < 0.5
        if wanted:
            doc["cats"] = random_cats(rng, setup["cats"]["labels"], gold is None, setup["cats"]["multi_label"])
    return doc


def make_pair(rng, setup):
    words, spaces = random_words(rng)
    gold = annotate(rng, words, spaces, setup)
    if rng.random() < 0.6:
        pred_words, pred_spaces = words, spaces
    else:
        pred_words, pred_spaces = retokenize(rng, words, spaces)
    if rng.random() < 0.1:
        pred_words = [w.upper() if rng.random() < 0.5 else w for w in pred_words]
    pred = annotate(rng, pred_words, pred_spaces, setup, gold=gold, gold_words=words)
    return gold, pred


def to_doc(vocab, data):
    doc = Doc(vocab).from_json({k: v for k, v in data.items() if k != "ents_missing"})
    missing = [doc.char_span(m["start"], m["end"]) for m in data.get("ents_missing", [])]
    if missing:
        doc.set_ents([], missing=missing, default="unmodified")
    return doc




def random_setup(rng):
    """What a case's pipeline scores; the families evalshard is asked for follow it."""
    keys = [key for key in SPAN_KEYS if rng.random() < 0.6] or ["sc"]
    rng.shuffle(keys)
    cats = None
    if rng.random() < 0.6:
        labels = rng.sample(CAT_LABELS, rng.randint(2, 4))
        cats = {"labels": labels, "multi_label": rng.random() < 0.3, "drop_predicted": rng.random() < 0.05}
    return {"sentences": rng.choice(["senter", "parser"]), "span_keys": keys, "cats": cats}


def pipeline(setup):
    nlp = spacy.blank("en")
    if setup["sentences"] is None:
        textcat = nlp.add_pipe("textcat")
        for label in setup["cats"]["labels"]:
            textcat.add_label(label)
        return nlp
    if setup["sentences"] == "senter":
        nlp.add_pipe("senter")
    nlp.add_pipe("tagger")
    nlp.add_pipe("morphologizer")
    if setup["sentences"] == "parser":
        nlp.add_pipe("parser")
    nlp.add_pipe("ner")
    if setup["cats"] is not None:
        textcat = nlp.add_pipe("textcat_multilabel" if setup["cats"]["multi_label"] else "textcat")
        for label in setup["cats"]["labels"]:
            textcat.add_label(label)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    for key in setup["span_keys"]:
        nlp.add_pipe("spancat", name=f"spancat_{key}", config={"spans_key": key})
    return nlp


def families(setup):
    """The evalshard families of the setup's pipeline (the report order is evalshard's to choose)."""
    if setup["sentences"] is None:
        return ["tokenization"]
    names = ["tokenization", "sents", "tag", "pos", "morph", "morph_per_feat", "ents", "lemma"]
    if setup["sentences"] == "parser":
        names.append("deps")
    return names + [f"spans:{key}" for key in setup["span_keys"]]


def fixed_cases():
    """Cases found by independent checks, kept in every batch."""
    # Labels that look like integers: spaCy breaks the tie in the document's category order.
    token = [{"id": 0, "start": 0, "end": 1}]
    gold = {"text": "a", "cats": {"1": 1.0, "0": 0.0}, "tokens": token, "id": "d0"}
    pred = {"text": "a", "cats": {"1": 0.5, "0": 0.5}, "tokens": token, "id": "d0"}
    setup = {"sentences": None, "span_keys": [], "cats": {"labels": ["1", "0"], "multi_label": False}}
    return [("integer-like-category-tie", setup, [(gold, pred)])]


def make_case(name, setup, docs):
    nlp = pipeline(setup)
    case = {
        "name": name,
        "pipeline": nlp.pipe_names,
        "families": families(setup),
        "cats": setup["cats"],
        "docs": [{"gold": json.dumps(g, ensure_ascii=False), "pred": json.dumps(p, ensure_ascii=False)} for g, p in docs],
    }
    try:
        examples = [Example(to_doc(nlp.vocab, p), to_doc(nlp.vocab, g)) for g, p in docs]
        case["expected"] = encode_numbers(Scorer(nlp).score(examples))
    except Exception as error:  # the reference raising is part of its behaviour
        case["error"] = f"{type(error).__name__}: {error}"
    return case


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--cases", type=int, default=80)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = [make_case(name, setup, docs) for name, setup, docs in fixed_cases()]
    for index in range(args.cases):
        setup = random_setup(rng)
        docs = [make_pair(rng, setup) for _ in range(rng.choice([1, 2, 5, 12, 30]))]
        cases.append(make_case(f"case-{index}", setup, docs))
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
