#!/usr/bin/env python3
"""Cross-check fixtures for the engine's Hugging Face checkpoint loading (HfFixturesTest).

Writes tiny GLA and Mamba2 checkpoints with random weights in the three layouts the engine reads
(fla's GLA, mamba_ssm's original Mamba2, transformers' Mamba2), each with the logits that a naive
PyTorch model gives for a fixed token sequence. The models are written here from the documented
math, one token at a time in float64, without fla, mamba_ssm or transformers:

  GLA (fla GatedLinearAttention):   S_t = diag(exp(g_t)) S_{t-1} + k_t^T v_t,  o_t = K^-1/2 q_t S_t,
      g_t = logsigmoid(gk_proj(x_t)) / 16, then RMSNorm over each head's V channels times swish(g_proj(x)),
      o_proj; blocks x + attn(norm(x)), then x + SwiGLU(norm(x)).
  Mamba2 (mamba_ssm Mamba2):        z, xBC, dt = in_proj(x); xBC = silu(causal depthwise conv(xBC));
      h_t = exp(dt_t A) h_{t-1} + dt_t x_t B_t^T,  y_t = h_t C_t + D x_t,  dt = softplus(dt + dt_bias),
      A = -exp(A_log); then RMSNorm per group of (y * silu(z)), out_proj; blocks x + mixer(norm(x)).

Usage:  python3 make_fixtures.py OUT_DIR        (needs torch and safetensors; CPU only, no network)

Each OUT_DIR/<name>/ holds config.json, the weights (model.safetensors, or shards and an index) and
logits.safetensors with "input_ids" (I64 [T]) and "logits" (F32 [T, vocab]). Deterministic: the same
files on every run and machine (seeded torch generators on the CPU).
"""

import json
import math
import os
import sys

import torch
from safetensors.torch import load_file, save_file

TOKENS = [(7 * i + 3) % 61 for i in range(80)]  # 80 tokens: past one chunk of 64 (GLA and the Mamba2 chunk_size)


# ----------------------------------------------------------------------------------------------
# Reading a config the way the reference libraries do (plus the engine's per-layer statex_layers)


def gla_layers(cfg):
    """One dict per layer: heads, key_dim, value_dim, rank, normalizer, eps."""
    if "statex_layers" in cfg:
        return [dict(heads=l["num_heads"], key_dim=l["key_dim"], value_dim=l["value_dim"], rank=l["gate_low_rank_dim"],
                     normalizer=l["gate_logit_normalizer"], eps=l["norm_eps"]) for l in cfg["statex_layers"]]
    hidden = cfg["hidden_size"]
    layer = dict(heads=cfg["num_heads"], key_dim=int(hidden * cfg.get("expand_k", 0.5)),
                 value_dim=int(hidden * cfg.get("expand_v", 1.0)), rank=16, normalizer=16, eps=cfg.get("norm_eps", 1e-6))
    return [layer] * cfg["num_hidden_layers"]


def gla_mlp_width(cfg):
    if cfg.get("intermediate_size") is not None:
        return cfg["intermediate_size"]
    width = int(cfg["hidden_size"] * (cfg.get("hidden_ratio") or 4) * 2 / 3)
    return 256 * ((width + 255) // 256)


def mamba2_layers(cfg, layout):
    """One dict per layer: d_inner, headdim, d_state, ngroups, d_conv, eps."""
    if "statex_layers" in cfg:
        return [dict(d_inner=l["d_inner"], headdim=l["headdim"], d_state=l["d_state"], ngroups=l["ngroups"],
                     d_conv=l["d_conv"], eps=l["norm_eps"]) for l in cfg["statex_layers"]]
    if layout == "mamba2-original":
        s = cfg["ssm_cfg"]
        layer = dict(d_inner=s.get("expand", 2) * cfg["d_model"], headdim=s.get("headdim", 64), d_state=s.get("d_state", 128),
                     ngroups=s.get("ngroups", 1), d_conv=s.get("d_conv", 4), eps=1e-5)
        return [layer] * cfg["n_layer"]
    layer = dict(d_inner=int(cfg.get("expand", 2) * cfg["hidden_size"]), headdim=cfg.get("head_dim", 64),
                 d_state=cfg.get("state_size", 128), ngroups=cfg.get("n_groups", 8), d_conv=cfg.get("conv_kernel", 4),
                 eps=cfg.get("layer_norm_epsilon", 1e-5))
    return [layer] * cfg["num_hidden_layers"]


def layout_of(cfg):
    if cfg.get("model_type") == "gla":
        return "gla"
    if cfg.get("model_type") == "mamba2":
        return "mamba2-hf"
    return "mamba2-original"


# ----------------------------------------------------------------------------------------------
# The naive models: float64, one token at a time


def rms_norm(x, w, eps):
    return x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps) * w


def silu(x):
    return x * torch.sigmoid(x)


def gla_mixer(x, w, p, layer):
    t_len = x.shape[0]
    h, kd, vd = layer["heads"], layer["key_dim"] // layer["heads"], layer["value_dim"] // layer["heads"]
    q = (x @ w[p + "q_proj.weight"].T).reshape(t_len, h, kd)
    k = (x @ w[p + "k_proj.weight"].T).reshape(t_len, h, kd)
    v = (x @ w[p + "v_proj.weight"].T).reshape(t_len, h, vd)
    gate = x @ w[p + "gk_proj.0.weight"].T @ w[p + "gk_proj.1.weight"].T + w[p + "gk_proj.1.bias"]
    gk = torch.nn.functional.logsigmoid(gate).reshape(t_len, h, kd) / layer["normalizer"]
    state = torch.zeros(h, kd, vd, dtype=torch.float64)
    out = []
    for t in range(t_len):
        state = torch.exp(gk[t])[:, :, None] * state + k[t][:, :, None] * v[t][:, None, :]
        out.append(kd ** -0.5 * torch.einsum("hk,hkv->hv", q[t], state))
    o = rms_norm(torch.stack(out), w[p + "g_norm_swish_gate.weight"], layer["eps"])
    g = (x @ w[p + "g_proj.weight"].T).reshape(t_len, h, vd)
    return (o * silu(g)).reshape(t_len, h * vd) @ w[p + "o_proj.weight"].T


def gla_logits(cfg, w, ids):
    x = w["model.embeddings.weight"][ids]
    eps = cfg.get("norm_eps", 1e-6)
    for i, layer in enumerate(gla_layers(cfg)):
        p = "model.layers.%d." % i
        x = x + gla_mixer(rms_norm(x, w[p + "attn_norm.weight"], eps), w, p + "attn.", layer)
        m = rms_norm(x, w[p + "mlp_norm.weight"], eps)
        up = silu(m @ w[p + "mlp.gate_proj.weight"].T) * (m @ w[p + "mlp.up_proj.weight"].T)
        x = x + up @ w[p + "mlp.down_proj.weight"].T
    head = w["model.embeddings.weight"] if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return rms_norm(x, w["model.norm.weight"], eps) @ head.T


def mamba2_mixer(x, w, p, layer):
    t_len = x.shape[0]
    di, pd, n, g = layer["d_inner"], layer["headdim"], layer["d_state"], layer["ngroups"]
    heads = di // pd
    zxbcdt = x @ w[p + "in_proj.weight"].T
    z, xbc, dt = zxbcdt[:, :di], zxbcdt[:, di:2 * di + 2 * g * n], zxbcdt[:, 2 * di + 2 * g * n:]
    conv_w, conv_b = w[p + "conv1d.weight"][:, 0, :], w[p + "conv1d.bias"]
    width = conv_w.shape[1]
    padded = torch.cat([torch.zeros(width - 1, xbc.shape[1], dtype=torch.float64), xbc])
    conv = torch.stack([conv_b + (conv_w.T * padded[t:t + width]).sum(0) for t in range(t_len)])
    xbc = silu(conv)
    xs = xbc[:, :di].reshape(t_len, heads, pd)
    bm = xbc[:, di:di + g * n].reshape(t_len, g, n)
    cm = xbc[:, di + g * n:].reshape(t_len, g, n)
    group = torch.arange(heads) // (heads // g)  # head h reads B and C of group h // (H / G)
    dt = torch.nn.functional.softplus(dt + w[p + "dt_bias"])
    a = -torch.exp(w[p + "A_log"])
    state = torch.zeros(heads, pd, n, dtype=torch.float64)
    ys = []
    for t in range(t_len):
        decay = torch.exp(dt[t] * a)[:, None, None]
        state = decay * state + dt[t][:, None, None] * xs[t][:, :, None] * bm[t][group][:, None, :]
        ys.append(torch.einsum("hpn,hn->hp", state, cm[t][group]) + w[p + "D"][:, None] * xs[t])
    y = torch.stack(ys).reshape(t_len, di) * silu(z)
    y = rms_norm(y.reshape(t_len, g, di // g), w[p + "norm.weight"].reshape(g, di // g), layer["eps"])
    return y.reshape(t_len, di) @ w[p + "out_proj.weight"].T


def mamba2_logits(cfg, w, ids, layout):
    hf = layout == "mamba2-hf"
    emb = w["backbone.embeddings.weight" if hf else "backbone.embedding.weight"]
    eps = cfg.get("layer_norm_epsilon", 1e-5) if hf else 1e-5
    x = emb[ids]
    for i, layer in enumerate(mamba2_layers(cfg, layout)):
        p = "backbone.layers.%d." % i
        x = x + mamba2_mixer(rms_norm(x, w[p + "norm.weight"], eps), w, p + "mixer.", layer)
    tied = cfg.get("tie_word_embeddings", False) if hf else cfg.get("tie_embeddings", True)
    head = emb if tied else w["lm_head.weight"]
    return rms_norm(x, w["backbone.norm_f.weight"], eps) @ head.T


def logits(cfg, weights, ids):
    """float64 logits [T, vocab] of the checkpoint (config dict, name -> tensor) for token ids."""
    w = {k: v.to(torch.float64) for k, v in weights.items()}
    layout = layout_of(cfg)
    with torch.no_grad():
        return gla_logits(cfg, w, ids) if layout == "gla" else mamba2_logits(cfg, w, ids, layout)


# ----------------------------------------------------------------------------------------------
# Random weights under each layout's names


class Draw:
    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)

    def normal(self, *shape, std=1.0, mean=0.0):
        return (torch.randn(*shape, generator=self.gen) * std + mean).to(torch.float32)

    def uniform(self, *shape, lo=-1.0, hi=1.0):
        return (torch.rand(*shape, generator=self.gen) * (hi - lo) + lo).to(torch.float32)

    def linear(self, out_dim, in_dim):
        return self.normal(out_dim, in_dim, std=in_dim ** -0.5)

    def norm(self, dim):
        return self.normal(dim, std=0.1, mean=1.0)


def gla_weights(cfg, d):
    hidden, w = cfg["hidden_size"], {}
    w["model.embeddings.weight"] = d.normal(cfg["vocab_size"], hidden)
    mlp = gla_mlp_width(cfg)
    for i, layer in enumerate(gla_layers(cfg)):
        p = "model.layers.%d." % i
        kd, vd = layer["key_dim"], layer["value_dim"]
        w[p + "attn_norm.weight"] = d.norm(hidden)
        for name, rows in (("q_proj", kd), ("k_proj", kd), ("v_proj", vd), ("g_proj", vd)):
            w[p + "attn." + name + ".weight"] = d.linear(rows, hidden)
        w[p + "attn.gk_proj.0.weight"] = d.linear(layer["rank"], hidden)
        w[p + "attn.gk_proj.1.weight"] = d.linear(kd, layer["rank"])
        w[p + "attn.gk_proj.1.bias"] = d.normal(kd, std=2.0, mean=2.0)
        w[p + "attn.g_norm_swish_gate.weight"] = d.norm(vd // layer["heads"])
        w[p + "attn.o_proj.weight"] = d.linear(hidden, vd)
        w[p + "mlp_norm.weight"] = d.norm(hidden)
        w[p + "mlp.gate_proj.weight"] = d.linear(mlp, hidden)
        w[p + "mlp.up_proj.weight"] = d.linear(mlp, hidden)
        w[p + "mlp.down_proj.weight"] = d.linear(hidden, mlp)
    w["model.norm.weight"] = d.norm(hidden)
    if not cfg.get("tie_word_embeddings", False):
        w["lm_head.weight"] = d.linear(cfg["vocab_size"], hidden)
    return w


def mamba2_weights(cfg, d, layout, vocab, hidden):
    w = {}
    emb = "backbone.embeddings.weight" if layout == "mamba2-hf" else "backbone.embedding.weight"
    w[emb] = d.normal(vocab, hidden)
    for i, layer in enumerate(mamba2_layers(cfg, layout)):
        p = "backbone.layers.%d." % i
        di, gn = layer["d_inner"], layer["ngroups"] * layer["d_state"]
        heads, channels = di // layer["headdim"], di + 2 * gn
        w[p + "norm.weight"] = d.norm(hidden)
        w[p + "mixer.in_proj.weight"] = d.linear(2 * di + 2 * gn + heads, hidden)
        w[p + "mixer.conv1d.weight"] = d.uniform(channels, 1, layer["d_conv"], lo=-0.5, hi=0.5)
        w[p + "mixer.conv1d.bias"] = d.uniform(channels, lo=-0.5, hi=0.5)
        dt = torch.exp(d.uniform(heads, lo=math.log(0.01), hi=math.log(0.5)).double())
        w[p + "mixer.dt_bias"] = (dt + torch.log(-torch.expm1(-dt))).to(torch.float32)  # softplus^-1
        w[p + "mixer.A_log"] = torch.log(d.uniform(heads, lo=1.0, hi=16.0))
        w[p + "mixer.D"] = d.uniform(heads, lo=0.5, hi=1.5)
        w[p + "mixer.norm.weight"] = d.norm(di)
        w[p + "mixer.out_proj.weight"] = d.linear(hidden, di)
    w["backbone.norm_f.weight"] = d.norm(hidden)
    tied = cfg.get("tie_word_embeddings", False) if layout == "mamba2-hf" else cfg.get("tie_embeddings", True)
    if not tied:
        w["lm_head.weight"] = d.linear(vocab, hidden)
    return w


# ----------------------------------------------------------------------------------------------
# The fixtures


def gla_statex_layer(heads, width):
    return {"mixer": "gla", "num_heads": heads, "key_dim": width, "value_dim": width, "gate_low_rank_dim": 16,
            "gate_logit_normalizer": 16.0, "norm_eps": 1e-6}


def mamba2_statex_layer(d_state, ngroups):
    return {"mixer": "mamba2", "d_inner": 64, "headdim": 8, "d_state": d_state, "ngroups": ngroups, "d_conv": 4,
            "chunk_size": 64, "dt_min": 0.001, "dt_max": 0.1, "dt_init_floor": 0.0001, "A_init_range": [1.0, 16.0],
            "norm_eps": 1e-5}


GLA = {"model_type": "gla", "architectures": ["GLAForCausalLM"], "hidden_size": 32, "expand_k": 1.0, "expand_v": 1.0,
       "hidden_ratio": 4, "intermediate_size": 64, "num_hidden_layers": 2, "num_heads": 2, "num_kv_heads": None,
       "feature_map": None, "attn_mode": "chunk", "use_short_conv": False, "use_output_gate": True, "clamp_min": None,
       "hidden_act": "swish", "elementwise_affine": True, "norm_eps": 1e-6, "fuse_norm": True,
       "tie_word_embeddings": False, "initializer_range": 0.02, "vocab_size": 61, "bos_token_id": 1, "eos_token_id": 2}

MAMBA2_ORIGINAL = {"d_model": 32, "d_intermediate": 0, "n_layer": 2, "vocab_size": 61,
                   "ssm_cfg": {"layer": "Mamba2", "d_state": 8, "d_conv": 4, "expand": 2, "headdim": 8, "ngroups": 1,
                               "chunk_size": 64},
                   "attn_layer_idx": [], "attn_cfg": {}, "rms_norm": True, "residual_in_fp32": True,
                   "fused_add_norm": True, "pad_vocab_size_multiple": 8, "tie_embeddings": True}

MAMBA2_HF = {"model_type": "mamba2", "architectures": ["Mamba2ForCausalLM"], "hidden_size": 32, "num_hidden_layers": 2,
             "vocab_size": 61, "num_heads": 8, "head_dim": 8, "state_size": 8, "expand": 2, "conv_kernel": 4,
             "n_groups": 1, "chunk_size": 64, "layer_norm_epsilon": 1e-5, "use_bias": False, "use_conv_bias": True,
             "hidden_act": "silu", "residual_in_fp32": True, "rms_norm": True, "time_step_min": 0.001,
             "time_step_max": 0.1, "time_step_floor": 0.0001, "initializer_range": 0.02, "tie_word_embeddings": False,
             "bos_token_id": 0, "eos_token_id": 0, "pad_token_id": 0}


def fixtures():
    """(name, config, seed, shards): equal layers, and StateX-expanded ones (merged heads, larger d_state)."""
    gla_statex = dict(GLA, tie_word_embeddings=True,
                      statex_layers=[gla_statex_layer(1, 32), gla_statex_layer(2, 32)])
    original_statex = dict(MAMBA2_ORIGINAL, tie_embeddings=False,
                           ssm_cfg=dict(MAMBA2_ORIGINAL["ssm_cfg"], ngroups=2),
                           statex_layers=[mamba2_statex_layer(32, 2), mamba2_statex_layer(8, 2)])
    return [("gla", GLA, 11, 1), ("gla-statex", gla_statex, 12, 1),
            ("mamba2-original", MAMBA2_ORIGINAL, 21, 1), ("mamba2-original-statex", original_statex, 22, 1),
            ("mamba2-hf", MAMBA2_HF, 31, 2)]


def weights_for(cfg, seed):
    d = Draw(seed)
    layout = layout_of(cfg)
    if layout == "gla":
        return gla_weights(cfg, d)
    if layout == "mamba2-original":
        pad = cfg["pad_vocab_size_multiple"]
        vocab = (cfg["vocab_size"] + pad - 1) // pad * pad  # MambaLMHeadModel pads the vocabulary
        return mamba2_weights(cfg, d, layout, vocab, cfg["d_model"])
    return mamba2_weights(cfg, d, layout, cfg["vocab_size"], cfg["hidden_size"])


def save_weights(weights, out, shards):
    """model.safetensors, or `shards` files and an index as transformers writes them."""
    names = sorted(weights)
    if shards == 1:
        save_file(weights, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
        return ["model.safetensors"]
    files, weight_map = [], {}
    for s in range(shards):
        part = names[s * len(names) // shards:(s + 1) * len(names) // shards]
        name = "model-%05d-of-%05d.safetensors" % (s + 1, shards)
        save_file({k: weights[k] for k in part}, os.path.join(out, name), metadata={"format": "pt"})
        weight_map.update({k: name for k in part})
        files.append(name)
    total = sum(t.numel() * t.element_size() for t in weights.values())
    with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)
    return files + ["model.safetensors.index.json"]


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: python3 make_fixtures.py OUT_DIR")
    torch.use_deterministic_algorithms(True)
    root = argv[1]
    ids = torch.tensor(TOKENS, dtype=torch.int64)
    total = 0
    for name, cfg, seed, shards in fixtures():
        out = os.path.join(root, name)
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
        weights = weights_for(cfg, seed)
        files = ["config.json"] + save_weights(weights, out, shards)
        reread = {}
        for fname in files:
            if fname.endswith(".safetensors"):
                reread.update(load_file(os.path.join(out, fname)))
        assert sorted(reread) == sorted(weights), "the saved names differ from the drawn ones"
        result = logits(cfg, reread, ids)
        assert torch.isfinite(result).all(), name + ": non-finite logits"
        save_file({"input_ids": ids, "logits": result.to(torch.float32).contiguous()},
                  os.path.join(out, "logits.safetensors"), metadata={"format": "pt"})
        files.append("logits.safetensors")
        size = sum(os.path.getsize(os.path.join(out, f)) for f in files)
        total += size
        print("%-24s %s  (%d parameters, logits %s, max |logit| %.3f, %d bytes)" % (
            name, " ".join(files), sum(t.numel() for t in weights.values()), tuple(result.shape),
            result.abs().max().item(), size))
    print("wrote %d fixtures, %d bytes, under %s" % (len(fixtures()), total, root))


if __name__ == "__main__":
    main(sys.argv)
