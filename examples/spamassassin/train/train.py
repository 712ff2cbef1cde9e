"""Train the SpamAssassin demo classifier and write an Optimum-layout bundle.

Reproducible: the split is a pure function of each message's MD5, the
tokenizer and the solver are deterministic, and the weights are quantised to
integers, so a rerun on the same package versions writes the same files.

The model is a bag-of-wordpieces logistic regression whose per-token weights
are int32 and whose only float operations are element-wise per row. That makes
its logits independent of how documents are grouped into batches (no float
reduction depends on batch size or padding), which is what lets a sharded run
equal a single pass bit for bit on any hardware.
"""

from __future__ import annotations

import argparse
import email
import hashlib
import json
import pathlib
import sys
from collections import Counter

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from tokenizers import Tokenizer
from tokenizers import decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece

SPAM_GROUPS = {"spam-1", "spam-2"}
LABELS = ["ham", "spam"]  # id2label order
MAX_LENGTH = 256  # tokens per document, [CLS] and [SEP] included
MAX_CHARS = 3000  # the demo keeps documents short so the committed corpus stays small
VOCAB_SIZE = 8000
MIN_FREQUENCY = 2
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
WEIGHT_SCALE_BITS = 14  # int weight = round(w * 2**14); sums stay far from int32 overflow
HELD_OUT_MODULUS = 5  # one message in five is held out


def message_text(raw: str) -> str:
    """Subject line and body: the headers would make the task trivial (relay names)."""
    message = email.message_from_string(raw)
    subject = str(message.get("Subject", "") or "")
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "multipart":
            continue
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        charset = part.get_content_charset() or "latin-1"
        try:
            parts.append(payload.decode(charset, errors="replace"))
        except LookupError:
            parts.append(payload.decode("latin-1", errors="replace"))
    body = "\n".join(parts)
    text = (subject + "\n\n" + body).strip()
    text = " ".join(text.split())  # one line per document, collapsed whitespace
    return text[:MAX_CHARS]


def load_corpus(dataset_dir: pathlib.Path):
    files = json.loads((dataset_dir / "file_list.json").read_text())
    records = []
    for name in files:
        meta_path = dataset_dir / name.replace(".txt", ".json")
        meta = json.loads(meta_path.read_text())
        text = message_text(meta["text"])
        if not text:
            continue
        digest = meta["checksum"]["value"]
        records.append(
            {
                "group": meta["group"],
                "digest": digest,
                "text": text,
                "spam": meta["group"] in SPAM_GROUPS,
            }
        )
    records.sort(key=lambda r: (r["group"], r["digest"]))
    return records


def is_held_out(record) -> bool:
    return int(hashlib.sha256(record["digest"].encode()).hexdigest()[:8], 16) % HELD_OUT_MODULUS == 0


def train_tokenizer(texts):
    """A WordPiece vocabulary chosen deterministically.

    The `tokenizers` trainer breaks frequency ties in hash-map order, which
    changes between processes; counting words here and sorting by (count,
    text) makes the vocabulary a pure function of the training texts.
    """
    tokenizer = Tokenizer(WordPiece({"[UNK]": 0}, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=True, lowercase=True
    )
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    word_counts: Counter[str] = Counter()
    for text in texts:
        normalized = tokenizer.normalizer.normalize_str(text)
        word_counts.update(word for word, _ in tokenizer.pre_tokenizer.pre_tokenize_str(normalized))
    char_counts: Counter[str] = Counter()
    for word, count in word_counts.items():
        char_counts[word[0]] += count
        for char in word[1:]:
            char_counts["##" + char] += count
    by_frequency = lambda counts: sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    vocab = list(SPECIAL_TOKENS)
    vocab += [piece for piece, count in by_frequency(char_counts) if count >= MIN_FREQUENCY]
    words = [word for word, count in by_frequency(word_counts) if count >= MIN_FREQUENCY and len(word) > 1]
    vocab += words[: VOCAB_SIZE - len(vocab)]
    tokenizer.model = WordPiece({piece: i for i, piece in enumerate(vocab)}, unk_token="[UNK]", max_input_chars_per_word=100)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab.index("[CLS]")), ("[SEP]", vocab.index("[SEP]"))],
    )
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    tokenizer.add_special_tokens(list(SPECIAL_TOKENS))
    tokenizer.enable_truncation(max_length=MAX_LENGTH)
    return tokenizer


def features(tokenizer, texts, vocab_size):
    rows, cols, vals = [], [], []
    for row, encoding in enumerate(tokenizer.encode_batch(texts)):
        ids = np.asarray(encoding.ids, dtype=np.int64)
        counts = np.bincount(ids, minlength=vocab_size).astype(np.float64) / len(ids)
        nz = np.nonzero(counts)[0]
        rows.extend([row] * len(nz))
        cols.extend(nz.tolist())
        vals.extend(counts[nz].tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), vocab_size))


def onnx_graph(weights_q: np.ndarray, bias: np.ndarray) -> onnx.ModelProto:
    """logits = bias + scale * sum_t(W[id_t] * mask_t) / max(1, sum_t mask_t)."""
    scale = np.float32(2.0 ** -WEIGHT_SCALE_BITS)
    nodes = [
        helper.make_node("Gather", ["token_weights", "input_ids"], ["gathered"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["mask_i32"], to=TensorProto.INT32),
        helper.make_node("Unsqueeze", ["mask_i32", "axis_2"], ["mask_3d"]),
        helper.make_node("Mul", ["gathered", "mask_3d"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis_1"], ["summed"], keepdims=0),
        helper.make_node("ReduceSum", ["mask_i32", "axis_1"], ["count_i32"], keepdims=1),
        helper.make_node("Max", ["count_i32", "one_i32"], ["count_safe"]),
        helper.make_node("Cast", ["summed"], ["summed_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["count_safe"], ["count_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["summed_f", "count_f"], ["mean_f"]),
        helper.make_node("Mul", ["mean_f", "scale"], ["scaled"]),
        helper.make_node("Add", ["scaled", "bias"], ["logits"]),
    ]
    initializers = [
        numpy_helper.from_array(weights_q.astype(np.int32), "token_weights"),
        numpy_helper.from_array(bias.astype(np.float32), "bias"),
        numpy_helper.from_array(np.array(scale, dtype=np.float32), "scale"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis_1"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis_2"),
        numpy_helper.from_array(np.array(1, dtype=np.int32), "one_i32"),
    ]
    graph = helper.make_graph(
        nodes,
        "spam_bag_of_wordpieces",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", len(LABELS)])],
        initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17)],
        producer_name="evalshard-demo",
        producer_version="1",
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", required=True, type=pathlib.Path, help="the package's data/ folder")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="folder for model/ and test.jsonl")
    args = parser.parse_args()

    records = load_corpus(args.dataset)
    train = [r for r in records if not is_held_out(r)]
    test = [r for r in records if is_held_out(r)]

    tokenizer = train_tokenizer([r["text"] for r in train])
    vocab_size = tokenizer.get_vocab_size()
    x_train = features(tokenizer, [r["text"] for r in train], vocab_size)
    y_train = np.array([1 if r["spam"] else 0 for r in train])
    classifier = LogisticRegression(C=20000.0, max_iter=5000, solver="lbfgs")
    classifier.fit(x_train, y_train)

    # Two symmetric logits so that softmax gives the same probability as the binary model.
    half = classifier.coef_[0] / 2.0
    weights = np.stack([-half, half], axis=1)
    weights_q = np.rint(weights * 2.0**WEIGHT_SCALE_BITS).astype(np.int64)
    assert np.abs(weights_q).max() * MAX_LENGTH < 2**31, "int32 sums could overflow"
    bias = np.array([-classifier.intercept_[0] / 2.0, classifier.intercept_[0] / 2.0])

    model_dir = args.out / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    onnx.save(onnx_graph(weights_q, bias), str(model_dir / "model.onnx"))
    tokenizer.save(str(model_dir / "tokenizer.json"))
    config = {
        "architectures": ["BagOfWordPiecesForSequenceClassification"],
        "model_type": "evalshard-bag-of-wordpieces",
        "problem_type": "single_label_classification",
        "id2label": {str(i): label for i, label in enumerate(LABELS)},
        "label2id": {label: i for i, label in enumerate(LABELS)},
        "max_position_embeddings": MAX_LENGTH,
        "vocab_size": vocab_size,
    }
    (model_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")

    with open(args.out / "test.jsonl", "w", encoding="utf-8") as out:
        for r in test:
            cats = {"spam": 1.0 if r["spam"] else 0.0, "ham": 0.0 if r["spam"] else 1.0}
            out.write(json.dumps({"text": r["text"], "cats": cats}, ensure_ascii=False) + "\n")

    # Check the exported graph against the integer arithmetic it encodes.
    session = onnxruntime.InferenceSession(str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    reloaded = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    correct = 0
    for r in test:
        ids = np.array([reloaded.encode(r["text"]).ids], dtype=np.int64)
        logits = session.run(["logits"], {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        correct += int((logits[1] > logits[0]) == r["spam"])
    print(
        f"train={len(train)} test={len(test)} vocab={vocab_size} "
        f"held-out accuracy={correct / len(test):.4f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
