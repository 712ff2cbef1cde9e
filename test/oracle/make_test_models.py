"""Small model bundles that are wrong on purpose, for the error tests.

    python3 test/oracle/make_test_models.py --out test/fixtures/models
"""

from __future__ import annotations

import argparse
import json
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "free", "money", "hello", "world"]


def tiny_tokenizer() -> Tokenizer:
    tokenizer = Tokenizer(WordPiece({t: i for i, t in enumerate(VOCAB)}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tokenizer.decoder = decoders.WordPiece()
    return tokenizer


def save(model: onnx.ModelProto, folder: pathlib.Path, labels: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(folder / "model.onnx"))
    tiny_tokenizer().save(str(folder / "tokenizer.json"))
    config = {"id2label": {str(i): label for i, label in enumerate(labels)}}
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def image_model() -> onnx.ModelProto:
    """Takes pixel_values, as an image classifier does: no token inputs."""
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["pixel_values", "axes"], ["logits"], keepdims=0)],
        "image_classifier",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 2, 4])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])],
        [numpy_helper.from_array(np.array([2], dtype=np.int64), "axes")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def three_logit_model() -> onnx.ModelProto:
    """Token ids in, three logits out: does not match a two-label config."""
    weights = np.arange(len(VOCAB) * 3, dtype=np.float32).reshape(len(VOCAB), 3) / 10
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["weights", "input_ids"], ["gathered"], axis=0),
            helper.make_node("ReduceSum", ["gathered", "axes"], ["logits"], keepdims=0),
        ],
        "three_logits",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])],
        [
            numpy_helper.from_array(weights, "weights"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"),
        ],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, type=pathlib.Path)
    args = parser.parse_args()
    save(image_model(), args.out / "image-inputs", ["ham", "spam"])
    save(three_logit_model(), args.out / "three-logits", ["ham", "spam"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
