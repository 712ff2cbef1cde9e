"""Reference token ids and logits for the demo bundle, from Hugging Face
`tokenizers` and Python onnxruntime, so the worker's TypeScript tokenization
and inference can be compared with them bit for bit.

    python3 test/oracle/model_oracle.py --bundle examples/spamassassin/model \
        --corpus examples/spamassassin/test.jsonl --docs 150 --out test/fixtures/spam-model-oracle.json
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import onnxruntime
import tokenizers

EXTRA_TEXTS = [
    "",
    "   ",
    "Ünïcødé façade — naïve café",
    "标签 中文 テスト 한국어",
    "FREE!!! $$$ Click http://example.com/?a=1&b=2 NOW",
    "tab\tseparated\nnew line\r\ncarriage",
    "a" * 3000,
    "emoji 🎉🚀 and combining e\u0301",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--docs", type=int, default=150)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    tokenizer = tokenizers.Tokenizer.from_file(f"{args.bundle}/tokenizer.json")
    session = onnxruntime.InferenceSession(f"{args.bundle}/model.onnx", providers=["CPUExecutionProvider"])
    texts = []
    with open(args.corpus, encoding="utf-8") as corpus:
        for line in corpus:
            texts.append(json.loads(line)["text"])
            if len(texts) >= args.docs:
                break
    texts += EXTRA_TEXTS
    cases = []
    for text in texts:
        ids = tokenizer.encode(text).ids
        feed = np.array([ids], dtype=np.int64)
        logits = session.run(["logits"], {"input_ids": feed, "attention_mask": np.ones_like(feed)})[0][0]
        cases.append({"text": text, "ids": ids, "logits": [float(v) for v in logits]})
    fixture = {
        "generator": "test/oracle/model_oracle.py",
        "tokenizers": tokenizers.__version__,
        "onnxruntime": onnxruntime.__version__,
        "cases": cases,
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(fixture, out, ensure_ascii=False)
        out.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
