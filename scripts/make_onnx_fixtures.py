#!/usr/bin/python3
"""Exports the ONNX test fixtures of nnpart from torch and torchvision.

Each model is built with random weights (weights=None: nothing is
downloaded), exported with torch.onnx at batch 1 with static shapes, and then
stripped: every initializer (and every Constant node's tensor) with more than
64 elements or a floating-point type loses its data and is marked as external
data in a file that is not committed. Dims, data types, names, the graph and
value_info stay exactly as torch wrote them, so the fixtures are small and
nnpart imports them as it would the full file (it never reads weight bytes).

Alongside, tests/fixtures/onnx/reference.txt records, per model, the MACs
counted by forward hooks in PyTorch itself (conv incl. groups, linear, and
the batched matmuls of attention), the parameter count and the opset.

Run: /usr/bin/python3 scripts/make_onnx_fixtures.py [OUTDIR]
(Debian: python3-torch 1.13, python3-torchvision 0.14, python3-onnx 1.12.)
"""
import math
import os
import sys

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "onnx")


class Block(nn.Module):
    """GPT-2 block: pre-norm causal self-attention and a GELU MLP."""

    def __init__(self, dim, heads, ctx):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim)
        self.attn = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ln_2 = nn.LayerNorm(dim)
        self.fc = nn.Linear(dim, 4 * dim)
        self.fc_proj = nn.Linear(4 * dim, dim)
        self.heads = heads
        self.register_buffer("mask", torch.tril(torch.ones(ctx, ctx)).view(1, 1, ctx, ctx))

    def forward(self, x):
        b, t, c = x.size()  # traced as Shape/Gather: a shape subgraph
        q, k, v = self.attn(self.ln_1(x)).split(c, dim=2)
        hd = c // self.heads
        q = q.view(b, t, self.heads, hd).transpose(1, 2)
        k = k.view(b, t, self.heads, hd).transpose(1, 2)
        v = v.view(b, t, self.heads, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        y = y.transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.proj(y)
        return x + self.fc_proj(F.gelu(self.fc(self.ln_2(x))))


class TinyGPT(nn.Module):
    """A small GPT-2 style decoder: token + position embedding, 4 blocks,
    final layer norm, head tied to the token embedding."""

    def __init__(self, vocab=2048, ctx=128, dim=256, heads=4, layers=4):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(ctx, dim)
        self.h = nn.ModuleList([Block(dim, heads, ctx) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, idx):
        t = idx.size(1)
        pos = torch.arange(0, t, dtype=torch.long).unsqueeze(0)
        x = self.wte(idx) + self.wpe(pos)
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


# name, constructor, input, opset, do_constant_folding. Opsets 13 to 17 are
# all used; unfolded exports keep BatchNormalization and the shape
# subgraphs (Shape, Gather, Unsqueeze, Concat, Reshape) that nnpart must fold.
tv = torchvision.models
IMG = (1, 3, 224, 224)
MODELS = [
    ("resnet18", lambda: tv.resnet18(weights=None), IMG, 13, True),
    ("resnext50_32x4d", lambda: tv.resnext50_32x4d(weights=None), IMG, 14, True),
    ("vgg16", lambda: tv.vgg16(weights=None), IMG, 15, True),
    ("alexnet", lambda: tv.alexnet(weights=None), IMG, 16, True),
    ("mobilenet_v2", lambda: tv.mobilenet_v2(weights=None), IMG, 17, True),
    ("mobilenet_v3_small", lambda: tv.mobilenet_v3_small(weights=None), IMG, 14, True),
    ("efficientnet_b0", lambda: tv.efficientnet_b0(weights=None), IMG, 15, True),
    ("densenet121", lambda: tv.densenet121(weights=None), IMG, 13, True),
    ("googlenet", lambda: tv.googlenet(weights=None, aux_logits=False, init_weights=True), IMG, 14, True),
    ("squeezenet1_0", lambda: tv.squeezenet1_0(weights=None), IMG, 16, True),
    ("shufflenet_v2_x1_0", lambda: tv.shufflenet_v2_x1_0(weights=None), IMG, 13, False),
    ("regnet_y_400mf", lambda: tv.regnet_y_400mf(weights=None), IMG, 17, True),
    ("convnext_tiny", lambda: tv.convnext_tiny(weights=None), IMG, 13, True),
    ("vit_b_16", lambda: tv.vit_b_16(weights=None), IMG, 17, True),
    ("gpt_tiny", lambda: TinyGPT(), (1, 128), 14, False),
]


def count_macs(model, x):
    """MACs as torchvision counts them: conv (with groups), linear, and the
    matmuls of attention (nn.MultiheadAttention's two batched products)."""
    total = [0]

    def conv(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1]
        total[0] += out.numel() * (m.in_channels // m.groups) * k

    def linear(m, inp, out):
        total[0] += out.numel() * m.in_features

    def mha(m, inp, out):
        # Called with keyword arguments, so the sizes come from the output.
        # The projections run through F.multi_head_attention_forward, not as
        # module calls, so they are counted here too.
        t = out[0].shape[1] if m.batch_first else out[0].shape[0]
        e = m.embed_dim
        total[0] += 4 * t * e * e + 2 * t * t * e  # in_proj (3), out_proj, q k^T, att v

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear))
        elif isinstance(m, nn.MultiheadAttention):
            hooks.append(m.register_forward_hook(mha))
    if isinstance(model, TinyGPT):  # its attention is two plain matmuls per block
        t, dim = x.shape[1], model.ln_f.normalized_shape[0]
        total[0] += len(model.h) * 2 * t * t * dim
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return total[0]


def strip(path, model_name):
    m = onnx.load(path)
    tensors = list(m.graph.initializer)
    for node in m.graph.node:
        for a in node.attribute:
            if a.type == onnx.AttributeProto.TENSOR:
                tensors.append(a.t)
    floats = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE,
              onnx.TensorProto.BFLOAT16}
    offset = 0
    for t in tensors:
        n = 1
        for d in t.dims:
            n *= d
        if n <= 64 and t.data_type not in floats:
            continue
        if n <= 1:  # scalars stay: cheap and sometimes folded
            continue
        size = n * onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t.data_type].itemsize
        for field in ("raw_data", "float_data", "int32_data", "int64_data", "double_data",
                      "uint64_data", "string_data"):
            t.ClearField(field)
        t.data_location = onnx.TensorProto.EXTERNAL
        del t.external_data[:]
        for k, v in (("location", model_name + ".weights"), ("offset", str(offset)),
                     ("length", str(size))):
            e = t.external_data.add()
            e.key, e.value = k, v
        offset += size
    m.doc_string = ""
    with open(path, "wb") as f:
        f.write(m.SerializeToString())


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    only = set(sys.argv[2:])
    lines = ["# model opset macs params (from PyTorch forward hooks; see make_onnx_fixtures.py)"]
    for name, make, shape, opset, fold in MODELS:
        if only and name not in only:
            continue
        model = make().eval()
        x = torch.randint(0, 2048, shape) if name == "gpt_tiny" else torch.randn(shape)
        macs = count_macs(model, x)
        params = sum(p.numel() for p in model.parameters())
        path = os.path.join(OUT, name + ".onnx")
        torch.onnx.export(model, x, path, opset_version=opset, do_constant_folding=fold,
                          input_names=["input"], output_names=["output"])
        strip(path, name)
        lines.append("%s %d %d %d" % (name, opset, macs, params))
        print("%-20s opset %d  %6.3f GMAC  %5d kB" % (name, opset, macs / 1e9,
                                                     os.path.getsize(path) // 1000), flush=True)
    if not only:
        with open(os.path.join(OUT, "reference.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
