"""The training and dev corpora of the three transformer bundles, as lists of
(words, tags) sentences or (text, label) messages."""

from __future__ import annotations

import pathlib
import sys


def sentences(path: pathlib.Path, word_and_tag):
    """Blank-line separated sentences of a column file, as (words, tags); `word_and_tag` reads a line (None: not a word)."""
    found, words, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if words:
                found.append((words, tags))
            words, tags = [], []
        elif not line.startswith("#"):
            pair = word_and_tag(line.split("\t"))
            if pair is not None:
                words.append(pair[0])
                tags.append(pair[1])
    return found


def read_conllu(path: pathlib.Path):
    """(FORM words, UPOS tags) per sentence; multiword ranges and empty nodes are not words."""
    return sentences(path, lambda fields: None if "-" in fields[0] or "." in fields[0] else (fields[1], fields[3]))


def read_iob(path: pathlib.Path):
    """(tokens, IOB2 tags) per sentence of a Universal NER file (index, token, tag, …)."""
    return sentences(path, lambda fields: (fields[1], fields[2]))


def spam_messages(dataset_dir: pathlib.Path):
    """(text, label) for training and for the held-out fifth: the demo's texts and split."""
    demo = pathlib.Path(__file__).resolve().parents[2] / "spamassassin" / "train"
    sys.path.insert(0, str(demo))
    from train import is_held_out, load_corpus  # the demo's own reader and split

    records = load_corpus(dataset_dir)
    pairs = lambda chosen: [(r["text"], "spam" if r["spam"] else "ham") for r in chosen]
    return pairs([r for r in records if not is_held_out(r)]), pairs([r for r in records if is_held_out(r)])
