"""A randomly initialized BERT-style token classifier with a byte-pair-encoding
tokenizer, built at test time: nothing in evalshard is tied to the bundles it
ships or to one exporter. The ONNX graph is written with onnx.helper (token,
position and token-type embeddings, two post-LayerNorm self-attention layers
with erf GELU, float32), the tokenizer is a BPE model trained on the given
text with RoBERTa-style <s> … </s> around a sequence.

    python3 test/oracle/make_random_bert.py --text test/data/uner-english-ewt/en_ewt-ud-dev.iob2 --seed 3 --out /tmp/bpe-bert
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
HIDDEN, HEADS, INTERMEDIATE, LAYERS, MAX_LENGTH = 32, 2, 64, 2, 48


def bpe_tokenizer(words):
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.decoder = decoders.BPEDecoder()
    trainer = trainers.BpeTrainer(vocab_size=1500, special_tokens=["<pad>", "<s>", "</s>", "<unk>"], show_progress=False)
    tokenizer.train_from_iterator([" ".join(words[i : i + 50]) for i in range(0, len(words), 50)], trainer=trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", tokenizer.token_to_id("<s>")), ("</s>", tokenizer.token_to_id("</s>"))]
    )
    tokenizer.enable_truncation(max_length=MAX_LENGTH)
    return tokenizer


def graph(vocab, rng):
    weights, nodes = [], []

    def weight(name, *shape, scale=0.2):
        weights.append(numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name))
        return name

    def const(name, value, dtype=np.float32):
        weights.append(numpy_helper.from_array(np.array(value, dtype=dtype), name))
        return name

    def node(op, inputs, output, **attrs):
        nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    def layer_norm(x, name):
        gamma = const(f"{name}.gamma", np.ones(HIDDEN))
        beta = const(f"{name}.beta", np.zeros(HIDDEN))
        return node("LayerNormalization", [x, gamma, beta], f"{name}.out", axis=-1, epsilon=1e-12)

    def dense(x, name, fan_in, fan_out):
        return node("Add", [node("MatMul", [x, weight(f"{name}.w", fan_in, fan_out)], f"{name}.mm"), weight(f"{name}.b", fan_out)], f"{name}.out")

    length = node("Gather", [node("Shape", ["input_ids"], "shape"), const("one", 1, np.int64)], "length", axis=0)
    positions = node("Range", [const("zero", 0, np.int64), length, const("step", 1, np.int64)], "positions")
    x = node("Add", [node("Gather", [weight("words", vocab, HIDDEN), "input_ids"], "word_vectors"),
                     node("Gather", [weight("positions_table", MAX_LENGTH, HIDDEN), positions], "position_vectors")], "sum1")
    x = node("Add", [x, node("Gather", [weight("types", 2, HIDDEN), "token_type_ids"], "type_vectors")], "sum2")
    x = layer_norm(x, "embeddings")
    mask = node("Cast", ["attention_mask"], "mask_float", to=TensorProto.FLOAT)
    additive = node("Mul", [node("Sub", [const("one_f", 1.0), mask], "unmasked"), const("big", -1e9)], "additive")
    additive = node("Unsqueeze", [additive, const("mask_axes", [1, 2], np.int64)], "additive4")
    head = HIDDEN // HEADS
    split = const("split_shape", [0, 0, HEADS, head], np.int64)
    merge = const("merge_shape", [0, 0, HIDDEN], np.int64)
    for i in range(LAYERS):
        p = f"layer{i}"
        q = node("Transpose", [node("Reshape", [dense(x, f"{p}.q", HIDDEN, HIDDEN), split], f"{p}.q4")], f"{p}.qt", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [dense(x, f"{p}.k", HIDDEN, HIDDEN), split], f"{p}.k4")], f"{p}.kt", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [dense(x, f"{p}.v", HIDDEN, HIDDEN), split], f"{p}.v4")], f"{p}.vt", perm=[0, 2, 1, 3])
        scores = node("Div", [node("MatMul", [q, k], f"{p}.qk"), const(f"{p}.scale", math.sqrt(head))], f"{p}.scaled")
        probs = node("Softmax", [node("Add", [scores, additive], f"{p}.masked")], f"{p}.probs", axis=-1)
        context = node("Transpose", [node("MatMul", [probs, v], f"{p}.ctx4")], f"{p}.ctxt", perm=[0, 2, 1, 3])
        attention = dense(node("Reshape", [context, merge], f"{p}.ctx"), f"{p}.o", HIDDEN, HIDDEN)
        x = layer_norm(node("Add", [x, attention], f"{p}.res1"), f"{p}.norm1")
        h = dense(x, f"{p}.in", HIDDEN, INTERMEDIATE)
        erf = node("Erf", [node("Div", [h, const(f"{p}.sqrt2", math.sqrt(2.0))], f"{p}.hs")], f"{p}.erf")
        gelu = node("Mul", [node("Mul", [h, node("Add", [erf, const(f"{p}.one", 1.0)], f"{p}.erf1")], f"{p}.hg"), const(f"{p}.half", 0.5)], f"{p}.gelu")
        x = layer_norm(node("Add", [x, dense(gelu, f"{p}.out", INTERMEDIATE, HIDDEN)], f"{p}.res2"), f"{p}.norm2")
    logits = dense(x, "classifier", HIDDEN, len(LABELS))
    nodes.append(helper.make_node("Identity", [logits], ["logits"]))
    inputs = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"]) for name in ("input_ids", "attention_mask", "token_type_ids")]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "sequence", len(LABELS)])]
    model = helper.make_model(helper.make_graph(nodes, "random_bert", inputs, outputs, weights), opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text", type=pathlib.Path, required=True, help="an IOB file whose tokens train the BPE vocabulary")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args()
    words = [line.split("\t")[1] for line in args.text.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    tokenizer = bpe_tokenizer(words)
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(args.out / "tokenizer.json"))
    onnx.save(graph(tokenizer.get_vocab_size(), np.random.default_rng(args.seed)), str(args.out / "model.onnx"))
    (args.out / "config.json").write_text(json.dumps({
        "architectures": ["BertForTokenClassification"],
        "model_type": "bert",
        "id2label": {str(i): label for i, label in enumerate(LABELS)},
        "label2id": {label: i for i, label in enumerate(LABELS)},
        "max_position_embeddings": MAX_LENGTH,
    }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
