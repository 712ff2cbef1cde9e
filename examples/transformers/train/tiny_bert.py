"""A small BERT-style encoder, its WordPiece tokenizer and its export to an
Hugging Face Optimum-layout ONNX bundle.

Token and position embeddings (plus token types, for the Optimum signature),
post-LayerNorm self-attention layers with exact (erf) GELU, float32; a token
classification head (one row of logits per subword) or a sequence
classification head (on the [CLS] row). Written out in plain PyTorch so the
graph holds only MatMul, Softmax, LayerNorm, Erf and element-wise operations:
nothing in it reduces across the batch.
"""

from __future__ import annotations

import json
import math
import pathlib
from collections import Counter

import torch
from torch import nn
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


class Config:
    def __init__(self, vocab_size, labels, max_positions=128, hidden=128, layers=2, heads=4, intermediate=512):
        self.vocab_size = vocab_size
        self.labels = list(labels)
        self.max_positions = max_positions
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.intermediate = intermediate


class SelfAttention(nn.Module):
    def __init__(self, config: Config):
        super().__init__()
        self.heads = config.heads
        self.head_size = config.hidden // config.heads
        self.query = nn.Linear(config.hidden, config.hidden)
        self.key = nn.Linear(config.hidden, config.hidden)
        self.value = nn.Linear(config.hidden, config.hidden)
        self.output = nn.Linear(config.hidden, config.hidden)

    def split(self, x):
        batch, length, _ = x.shape
        return x.view(batch, length, self.heads, self.head_size).transpose(1, 2)

    def forward(self, x, additive_mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_size) + additive_mask
        context = torch.matmul(torch.softmax(scores, dim=-1), v)
        batch, _, length, _ = context.shape
        return self.output(context.transpose(1, 2).reshape(batch, length, self.heads * self.head_size))


class Layer(nn.Module):
    def __init__(self, config: Config, dropout: float):
        super().__init__()
        self.attention = SelfAttention(config)
        self.attention_norm = nn.LayerNorm(config.hidden, eps=1e-12)
        self.intermediate = nn.Linear(config.hidden, config.intermediate)
        self.gelu = nn.GELU()
        self.out = nn.Linear(config.intermediate, config.hidden)
        self.output_norm = nn.LayerNorm(config.hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, additive_mask):
        x = self.attention_norm(x + self.dropout(self.attention(x, additive_mask)))
        return self.output_norm(x + self.dropout(self.out(self.gelu(self.intermediate(x)))))


class TinyBert(nn.Module):
    """`head`: "token" (logits per subword) or "sequence" (logits per document)."""

    def __init__(self, config: Config, head: str, dropout: float = 0.1):
        super().__init__()
        self.head = head
        self.words = nn.Embedding(config.vocab_size, config.hidden)
        self.positions = nn.Embedding(config.max_positions, config.hidden)
        self.token_types = nn.Embedding(2, config.hidden)
        self.embedding_norm = nn.LayerNorm(config.hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(Layer(config, dropout) for _ in range(config.layers))
        self.classifier = nn.Linear(config.hidden, len(config.labels))

    def forward(self, input_ids, attention_mask, token_type_ids):
        length = input_ids.shape[1]
        positions = torch.arange(length, dtype=torch.long, device=input_ids.device).unsqueeze(0)
        x = self.words(input_ids) + self.positions(positions) + self.token_types(token_type_ids)
        x = self.dropout(self.embedding_norm(x))
        # Padded keys get a large negative score; every row masks only its own padding.
        additive_mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e9
        for layer in self.layers:
            x = layer(x, additive_mask)
        if self.head == "sequence":
            x = x[:, 0, :]
        return self.classifier(self.dropout(x))


def train_tokenizer(texts, vocab_size: int, max_length: int, lowercase: bool = False) -> Tokenizer:
    """A WordPiece tokenizer whose vocabulary is a pure function of `texts`.

    The `tokenizers` trainer breaks frequency ties in hash-map order, which
    changes between processes; here words are counted after BERT's
    normalization and pre-tokenization and ranked by (count, text): single
    characters (word-initial and ##-continuations) first, then whole words.
    [CLS] … [SEP] go around a sequence, truncated to `max_length`.
    """
    tokenizer = Tokenizer(WordPiece({"[UNK]": 0}, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=lowercase
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
    ranked = lambda counts: sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    vocab = list(SPECIAL_TOKENS) + [piece for piece, count in ranked(char_counts) if count >= 2]
    vocab += [word for word, count in ranked(word_counts) if count >= 2 and len(word) > 1][: vocab_size - len(vocab)]
    tokenizer.model = WordPiece({piece: i for i, piece in enumerate(vocab)}, unk_token="[UNK]", max_input_chars_per_word=100)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab.index("[CLS]")), ("[SEP]", vocab.index("[SEP]"))],
    )
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    tokenizer.add_special_tokens(SPECIAL_TOKENS)
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


def export_bundle(model: TinyBert, config: Config, tokenizer: Tokenizer, out: pathlib.Path, problem_type: str) -> None:
    """model.onnx (dynamic batch and sequence axes), config.json, tokenizer.json."""
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    ids = torch.tensor([[2, 7, 8, 3], [2, 9, 3, 0]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.long)
    types = torch.zeros_like(ids)
    torch.onnx.export(
        model,
        (ids, mask, types),
        str(out / "model.onnx"),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "sequence"},
            "token_type_ids": {0: "batch", 1: "sequence"},
            "logits": {0: "batch", 1: "sequence"} if model.head == "token" else {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    architecture = "BertForTokenClassification" if model.head == "token" else "BertForSequenceClassification"
    (out / "config.json").write_text(
        json.dumps(
            {
                "architectures": [architecture],
                "model_type": "bert",
                **({"problem_type": problem_type} if problem_type else {}),
                "id2label": {str(i): label for i, label in enumerate(config.labels)},
                "label2id": {label: i for i, label in enumerate(config.labels)},
                "vocab_size": config.vocab_size,
                "hidden_size": config.hidden,
                "num_hidden_layers": config.layers,
                "num_attention_heads": config.heads,
                "intermediate_size": config.intermediate,
                "hidden_act": "gelu",
                "max_position_embeddings": config.max_positions,
                "type_vocab_size": 2,
                "layer_norm_eps": 1e-12,
                "pad_token_id": 0,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    tokenizer.save(str(out / "tokenizer.json"))
