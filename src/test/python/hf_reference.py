#!/usr/bin/python3
"""Reference outputs for the RoBERTa, DistilBERT and BERT encoders, computed outside Java.

Writes three tiny random checkpoints in the Hugging Face hub's directory format, each with the
hidden states of every layer and the classification logits for a few fixed texts:

  src/test/resources/hf/tiny-roberta/     config.json, model.safetensors, tokenizer.json,
                                          vocab.json, merges.txt, parity.json
  src/test/resources/hf/tiny-distilbert/  config.json, model.safetensors, tokenizer.json,
                                          vocab.txt, parity.json
  src/test/resources/hf/tiny-bert/        config.json, model.safetensors, tokenizer.json,
                                          vocab.txt, parity.json

Nothing here comes from the Java code or from the `transformers` library: the tokenizers (a
byte-level BPE with RoBERTa's <s>/</s> template, an uncased WordPiece with [CLS]/[SEP]) and the
forward passes are written out below from the published architectures, in plain torch, computed in
float64 from the float32 weights stored in model.safetensors (which is written by hand, byte by
byte, so the `safetensors` package is not needed).

Regenerate (Debian: apt-get install python3-torch), from the repository root:

  /usr/bin/python3 src/test/python/hf_reference.py

The weights come from a fixed torch random seed, so a rerun rewrites the same files. The Java
parity tests (RobertaParityTest, DistilBertParityTest) read them and check every layer's output
and the logits to within 1e-4.
"""

import json
import math
import os
import re
import struct

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "hf")

TEXTS = [
    "The film was great!",
    "I hated the acting, and the plot was boring.",
    "Not bad",
]

WORDS = ["the", "film", "movie", "was", "great", "bad", "not", "act", "##ing", "plot", "and",
         "hat", "##ed", "i", "bor", "good", "!", ",", "."]

MERGES = ["Ġ t", "h e", "Ġt he", "Ġ f", "i l", "Ġf il", "Ġfil m", "Ġ w", "a s", "Ġw as",
          "Ġ g", "r e", "Ġg re", "a t", "Ġgre at", "Ġ a", "c t", "Ġa ct", "i n", "in g",
          "Ġ p", "l o", "Ġp lo", "Ġplo t", "Ġ b", "o r", "Ġb or", "Ġ h", "Ġh at", "e d",
          "Ġa n", "Ġan d", "N o", "No t", "a d", "Ġb ad"]


# ---------------------------------------------------------------- safetensors, by hand

def write_safetensors(path, tensors):
    """tensors: list of (name, float32 tensor); the header lists them with byte offsets."""
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name, t in tensors:
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # the header is padded to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


# ---------------------------------------------------------------- byte-level BPE (RoBERTa)

def bytes_to_unicode():
    """GPT-2's map from the 256 byte values to printable characters."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_CHARS = bytes_to_unicode()
# GPT-2's split, restricted to ASCII letters and digits (the fixture texts are ASCII)
SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+")


def bpe_vocab():
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    vocab = {t: i for i, t in enumerate(specials)}
    for b in range(256):
        vocab[BYTE_CHARS[b]] = len(vocab)
    for m in MERGES:
        vocab["".join(m.split(" "))] = len(vocab)
    vocab["<mask>"] = len(vocab)
    return vocab


def bpe_word(word, ranks):
    parts = list(word)
    while len(parts) > 1:
        pairs = [(ranks.get((parts[i], parts[i + 1]), 1 << 30), i) for i in range(len(parts) - 1)]
        rank, i = min(pairs)
        if rank == 1 << 30:
            break
        parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:]
    return parts


def bpe_encode(text, vocab):
    ranks = {tuple(m.split(" ")): r for r, m in enumerate(MERGES)}
    ids = [vocab["<s>"]]
    for piece in SPLIT.findall(text):
        mapped = "".join(BYTE_CHARS[b] for b in piece.encode("utf-8"))
        ids += [vocab[p] for p in bpe_word(mapped, ranks)]
    return ids + [vocab["</s>"]]


def roberta_tokenizer_json(vocab):
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": t == "<mask>",
              "rstrip": False, "normalized": t == "<mask>", "special": True}
             for t in ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0],
                           "trim_offsets": True, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": False,
                  "byte_fallback": False, "vocab": vocab, "merges": MERGES},
    }


# ---------------------------------------------------------------- WordPiece (DistilBERT)

def wordpiece_vocab():
    return ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS


def wordpiece_encode(text, vocab):
    index = {t: i for i, t in enumerate(vocab)}
    ids = [index["[CLS]"]]
    for word in re.findall(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]", text.lower()):
        start, pieces = 0, []
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in index:
                    break
                end -= 1
            if end == start:
                pieces = [index["[UNK]"]]
                break
            pieces.append(index[piece])
            start = end
        ids += pieces
    return ids + [index["[SEP]"]]


def wordpiece_tokenizer_json(vocab):
    index = {t: i for i, t in enumerate(vocab)}
    added = [{"id": index[t], "content": t, "single_word": False, "lstrip": False,
              "rstrip": False, "normalized": False, "special": True}
             for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [index[t]], "tokens": [t]}
                               for t in ["[CLS]", "[SEP]"]}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": index},
    }


# ---------------------------------------------------------------- shared math

def rand(*shape, std=0.3):
    return torch.randn(*shape) * std


def norm_params(h):
    # gamma near 1 and beta near 0 but not equal, so a swapped or skipped norm shows
    return 1.0 + rand(h, std=0.1), rand(h, std=0.1)


def layer_norm(x, g, b, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * g + b


def linear(x, w, b):
    return x @ w.t() + b  # w is [out, in], as PyTorch stores it


def gelu_erf(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def attention(x, mask, wq, bq, wk, bk, wv, bv, wo, bo, heads):
    b, s, h = x.shape
    d = h // heads

    def split(t):
        return t.view(b, s, heads, d).transpose(1, 2)  # (B, heads, S, d)

    q, k, v = split(linear(x, wq, bq)), split(linear(x, wk, bk)), split(linear(x, wv, bv))
    scores = q @ k.transpose(-1, -2) / math.sqrt(d)
    scores = scores.masked_fill(mask[:, None, None, :] == 0, float("-inf"))
    ctx = torch.softmax(scores, dim=-1) @ v
    return linear(ctx.transpose(1, 2).reshape(b, s, h), wo, bo)


def pad(batch, pad_id):
    s = max(len(i) for i in batch)
    ids = torch.tensor([i + [pad_id] * (s - len(i)) for i in batch], dtype=torch.long)
    mask = torch.tensor([[1] * len(i) + [0] * (s - len(i)) for i in batch], dtype=torch.long)
    return ids, mask


def fixture(texts, ids, mask, states, logits):
    def r(t):
        return [[round(float(v), 7) for v in row] for row in t.reshape(-1, t.shape[-1])]

    return {"texts": texts, "input_ids": ids.tolist(), "attention_mask": mask.tolist(),
            "hidden_states": [r(s) for s in states], "hidden_shape": list(states[0].shape),
            "logits": r(logits)}


def dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------- RoBERTa

def roberta():
    out = os.path.join(ROOT, "tiny-roberta")
    os.makedirs(out, exist_ok=True)
    vocab = bpe_vocab()
    h, layers, heads, inter, labels, pad_id, eps = 16, 2, 4, 32, 2, 1, 1e-5
    max_pos = 24 + pad_id + 1  # RoBERTa's table skips the rows up to the padding index
    config = {
        "architectures": ["RobertaForSequenceClassification"], "model_type": "roberta",
        "vocab_size": len(vocab), "hidden_size": h, "num_hidden_layers": layers,
        "num_attention_heads": heads, "intermediate_size": inter, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": max_pos, "type_vocab_size": 1, "initializer_range": 0.02,
        "layer_norm_eps": eps, "pad_token_id": pad_id, "bos_token_id": 0, "eos_token_id": 2,
        "position_embedding_type": "absolute", "classifier_dropout": None,
        "id2label": {"0": "NEGATIVE", "1": "POSITIVE"}, "label2id": {"NEGATIVE": 0, "POSITIVE": 1},
    }
    w = {}
    p = "roberta.embeddings."
    w[p + "word_embeddings.weight"] = rand(len(vocab), h, std=0.5)
    w[p + "position_embeddings.weight"] = rand(max_pos, h, std=0.5)
    w[p + "token_type_embeddings.weight"] = rand(1, h, std=0.5)
    w[p + "LayerNorm.weight"], w[p + "LayerNorm.bias"] = norm_params(h)
    for l in range(layers):
        p = "roberta.encoder.layer.%d." % l
        for name in ["query", "key", "value"]:
            w[p + "attention.self.%s.weight" % name] = rand(h, h)
            w[p + "attention.self.%s.bias" % name] = rand(h, std=0.1)
        w[p + "attention.output.dense.weight"] = rand(h, h)
        w[p + "attention.output.dense.bias"] = rand(h, std=0.1)
        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"] = \
            norm_params(h)
        w[p + "intermediate.dense.weight"] = rand(inter, h)
        w[p + "intermediate.dense.bias"] = rand(inter, std=0.1)
        w[p + "output.dense.weight"] = rand(h, inter)
        w[p + "output.dense.bias"] = rand(h, std=0.1)
        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"] = norm_params(h)
    w["classifier.dense.weight"] = rand(h, h)
    w["classifier.dense.bias"] = rand(h, std=0.1)
    w["classifier.out_proj.weight"] = rand(labels, h)
    w["classifier.out_proj.bias"] = rand(labels, std=0.1)

    write_safetensors(os.path.join(out, "model.safetensors"), sorted(w.items()))
    dump(os.path.join(out, "config.json"), config)
    dump(os.path.join(out, "tokenizer.json"), roberta_tokenizer_json(vocab))
    dump(os.path.join(out, "vocab.json"), vocab)
    with open(os.path.join(out, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(MERGES) + "\n")

    d = {k: v.to(torch.float64) for k, v in w.items()}
    ids, mask = pad([bpe_encode(t, vocab) for t in TEXTS], pad_id)
    # position ids: count the real tokens, starting after the padding index; padding keeps it
    real = ids.ne(pad_id).long()
    positions = torch.cumsum(real, dim=1) * real + pad_id
    p = "roberta.embeddings."
    x = d[p + "word_embeddings.weight"][ids] + d[p + "position_embeddings.weight"][positions] \
        + d[p + "token_type_embeddings.weight"][torch.zeros_like(ids)]
    x = layer_norm(x, d[p + "LayerNorm.weight"], d[p + "LayerNorm.bias"], eps)
    states = [x]
    for l in range(layers):
        p = "roberta.encoder.layer.%d." % l
        a = attention(x, mask, *[d[p + "attention.self.%s.%s" % (n, k)]
                                 for n in ["query", "key", "value"] for k in ["weight", "bias"]],
                      d[p + "attention.output.dense.weight"], d[p + "attention.output.dense.bias"],
                      heads)
        x = layer_norm(a + x, d[p + "attention.output.LayerNorm.weight"],
                       d[p + "attention.output.LayerNorm.bias"], eps)  # post-LN
        f = gelu_erf(linear(x, d[p + "intermediate.dense.weight"], d[p + "intermediate.dense.bias"]))
        f = linear(f, d[p + "output.dense.weight"], d[p + "output.dense.bias"])
        x = layer_norm(f + x, d[p + "output.LayerNorm.weight"], d[p + "output.LayerNorm.bias"], eps)
        states.append(x)
    # the head reads <s>: dense, tanh, out_proj
    c = torch.tanh(linear(x[:, 0], d["classifier.dense.weight"], d["classifier.dense.bias"]))
    logits = linear(c, d["classifier.out_proj.weight"], d["classifier.out_proj.bias"])
    dump(os.path.join(out, "parity.json"), fixture(TEXTS, ids, mask, states, logits))


# ---------------------------------------------------------------- DistilBERT

def sinusoidal(n_pos, dim):
    table = torch.tensor([[pos / math.pow(10000, 2 * (j // 2) / dim) for j in range(dim)]
                          for pos in range(n_pos)], dtype=torch.float64)
    out = torch.zeros(n_pos, dim, dtype=torch.float64)
    out[:, 0::2] = torch.sin(table[:, 0::2])
    out[:, 1::2] = torch.cos(table[:, 1::2])
    return out.to(torch.float32)


def distilbert():
    out = os.path.join(ROOT, "tiny-distilbert")
    os.makedirs(out, exist_ok=True)
    vocab = wordpiece_vocab()
    dim, layers, heads, hidden_dim, labels, max_pos, eps = 16, 2, 4, 32, 2, 24, 1e-12
    config = {
        "architectures": ["DistilBertForSequenceClassification"], "model_type": "distilbert",
        "vocab_size": len(vocab), "dim": dim, "n_layers": layers, "n_heads": heads,
        "hidden_dim": hidden_dim, "activation": "gelu", "dropout": 0.1,
        "attention_dropout": 0.1, "max_position_embeddings": max_pos,
        "sinusoidal_pos_embds": True, "initializer_range": 0.02, "pad_token_id": 0,
        "qa_dropout": 0.1, "seq_classif_dropout": 0.2, "tie_weights_": True,
        "id2label": {"0": "NEGATIVE", "1": "POSITIVE"}, "label2id": {"NEGATIVE": 0, "POSITIVE": 1},
    }
    w = {}
    p = "distilbert.embeddings."
    w[p + "word_embeddings.weight"] = rand(len(vocab), dim, std=0.5)
    w[p + "position_embeddings.weight"] = sinusoidal(max_pos, dim)
    w[p + "LayerNorm.weight"], w[p + "LayerNorm.bias"] = norm_params(dim)
    for l in range(layers):
        p = "distilbert.transformer.layer.%d." % l
        for name in ["q_lin", "k_lin", "v_lin", "out_lin"]:
            w[p + "attention.%s.weight" % name] = rand(dim, dim)
            w[p + "attention.%s.bias" % name] = rand(dim, std=0.1)
        w[p + "sa_layer_norm.weight"], w[p + "sa_layer_norm.bias"] = norm_params(dim)
        w[p + "ffn.lin1.weight"] = rand(hidden_dim, dim)
        w[p + "ffn.lin1.bias"] = rand(hidden_dim, std=0.1)
        w[p + "ffn.lin2.weight"] = rand(dim, hidden_dim)
        w[p + "ffn.lin2.bias"] = rand(dim, std=0.1)
        w[p + "output_layer_norm.weight"], w[p + "output_layer_norm.bias"] = norm_params(dim)
    w["pre_classifier.weight"] = rand(dim, dim)
    w["pre_classifier.bias"] = rand(dim, std=0.1)
    w["classifier.weight"] = rand(labels, dim)
    w["classifier.bias"] = rand(labels, std=0.1)

    write_safetensors(os.path.join(out, "model.safetensors"), sorted(w.items()))
    dump(os.path.join(out, "config.json"), config)
    dump(os.path.join(out, "tokenizer.json"), wordpiece_tokenizer_json(vocab))
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")

    d = {k: v.to(torch.float64) for k, v in w.items()}
    ids, mask = pad([wordpiece_encode(t, vocab) for t in TEXTS], 0)
    p = "distilbert.embeddings."
    positions = torch.arange(ids.shape[1])[None, :]  # plain 0..S-1; no token types
    x = d[p + "word_embeddings.weight"][ids] + d[p + "position_embeddings.weight"][positions]
    x = layer_norm(x, d[p + "LayerNorm.weight"], d[p + "LayerNorm.bias"], eps)
    states = [x]
    for l in range(layers):
        p = "distilbert.transformer.layer.%d.attention." % l
        a = attention(x, mask, *[d[p + "%s.%s" % (n, k)] for n in ["q_lin", "k_lin", "v_lin"]
                                 for k in ["weight", "bias"]],
                      d[p + "out_lin.weight"], d[p + "out_lin.bias"], heads)
        p = "distilbert.transformer.layer.%d." % l
        x = layer_norm(a + x, d[p + "sa_layer_norm.weight"], d[p + "sa_layer_norm.bias"], eps)
        f = gelu_erf(linear(x, d[p + "ffn.lin1.weight"], d[p + "ffn.lin1.bias"]))
        f = linear(f, d[p + "ffn.lin2.weight"], d[p + "ffn.lin2.bias"])
        x = layer_norm(f + x, d[p + "output_layer_norm.weight"], d[p + "output_layer_norm.bias"],
                       eps)
        states.append(x)
    # the head reads [CLS]: pre_classifier, ReLU, classifier
    c = torch.relu(linear(x[:, 0], d["pre_classifier.weight"], d["pre_classifier.bias"]))
    logits = linear(c, d["classifier.weight"], d["classifier.bias"])
    dump(os.path.join(out, "parity.json"), fixture(TEXTS, ids, mask, states, logits))


# ---------------------------------------------------------------- BERT

def bert():
    out = os.path.join(ROOT, "tiny-bert")
    os.makedirs(out, exist_ok=True)
    vocab = wordpiece_vocab()
    h, layers, heads, inter, labels, max_pos, eps = 16, 2, 4, 32, 2, 24, 1e-12
    config = {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "vocab_size": len(vocab), "hidden_size": h, "num_hidden_layers": layers,
        "num_attention_heads": heads, "intermediate_size": inter, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": max_pos, "type_vocab_size": 2, "initializer_range": 0.02,
        "layer_norm_eps": eps, "pad_token_id": 0, "position_embedding_type": "absolute",
        "id2label": {"0": "NEGATIVE", "1": "POSITIVE"}, "label2id": {"NEGATIVE": 0, "POSITIVE": 1},
    }
    w = {}
    p = "bert.embeddings."
    w[p + "word_embeddings.weight"] = rand(len(vocab), h, std=0.5)
    w[p + "position_embeddings.weight"] = rand(max_pos, h, std=0.5)
    w[p + "token_type_embeddings.weight"] = rand(2, h, std=0.5)
    w[p + "LayerNorm.weight"], w[p + "LayerNorm.bias"] = norm_params(h)
    for l in range(layers):
        p = "bert.encoder.layer.%d." % l
        for name in ["query", "key", "value"]:
            w[p + "attention.self.%s.weight" % name] = rand(h, h)
            w[p + "attention.self.%s.bias" % name] = rand(h, std=0.1)
        w[p + "attention.output.dense.weight"] = rand(h, h)
        w[p + "attention.output.dense.bias"] = rand(h, std=0.1)
        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"] = \
            norm_params(h)
        w[p + "intermediate.dense.weight"] = rand(inter, h)
        w[p + "intermediate.dense.bias"] = rand(inter, std=0.1)
        w[p + "output.dense.weight"] = rand(h, inter)
        w[p + "output.dense.bias"] = rand(h, std=0.1)
        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"] = norm_params(h)
    w["bert.pooler.dense.weight"] = rand(h, h)
    w["bert.pooler.dense.bias"] = rand(h, std=0.1)
    w["classifier.weight"] = rand(labels, h)
    w["classifier.bias"] = rand(labels, std=0.1)

    write_safetensors(os.path.join(out, "model.safetensors"), sorted(w.items()))
    dump(os.path.join(out, "config.json"), config)
    dump(os.path.join(out, "tokenizer.json"), wordpiece_tokenizer_json(vocab))
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")

    d = {k: v.to(torch.float64) for k, v in w.items()}
    ids, mask = pad([wordpiece_encode(t, vocab) for t in TEXTS], 0)
    p = "bert.embeddings."
    positions = torch.arange(ids.shape[1])[None, :]
    x = d[p + "word_embeddings.weight"][ids] + d[p + "position_embeddings.weight"][positions] \
        + d[p + "token_type_embeddings.weight"][torch.zeros_like(ids)]
    x = layer_norm(x, d[p + "LayerNorm.weight"], d[p + "LayerNorm.bias"], eps)
    states = [x]
    for l in range(layers):
        p = "bert.encoder.layer.%d." % l
        a = attention(x, mask, *[d[p + "attention.self.%s.%s" % (n, k)]
                                 for n in ["query", "key", "value"] for k in ["weight", "bias"]],
                      d[p + "attention.output.dense.weight"], d[p + "attention.output.dense.bias"],
                      heads)
        x = layer_norm(a + x, d[p + "attention.output.LayerNorm.weight"],
                       d[p + "attention.output.LayerNorm.bias"], eps)
        f = gelu_erf(linear(x, d[p + "intermediate.dense.weight"], d[p + "intermediate.dense.bias"]))
        f = linear(f, d[p + "output.dense.weight"], d[p + "output.dense.bias"])
        x = layer_norm(f + x, d[p + "output.LayerNorm.weight"], d[p + "output.LayerNorm.bias"], eps)
        states.append(x)
    # the head reads [CLS]: pooler dense, tanh, classifier
    c = torch.tanh(linear(x[:, 0], d["bert.pooler.dense.weight"], d["bert.pooler.dense.bias"]))
    logits = linear(c, d["classifier.weight"], d["classifier.bias"])
    dump(os.path.join(out, "parity.json"), fixture(TEXTS, ids, mask, states, logits))


if __name__ == "__main__":
    torch.manual_seed(20240611)
    roberta()
    distilbert()
    bert()  # last, so that the two fixtures above keep their random draws
