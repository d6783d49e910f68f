#!/usr/bin/python3
"""Writes tests/fixtures/hostile/names.onnx: a two-node ONNX model (MatMul
16x16, Relu) built with python3-onnx whose node names are hostile bytes that
protobuf carries as they are: invalid UTF-8, a quote, a backslash, ESC, a C1
control (U+009B), a right-to-left override (U+202E) and a cut 4-byte
sequence. onnx's Python API only takes valid strings, so the names are
written as 8-byte placeholders and then replaced in the serialized bytes by
byte strings of the same length (the protobuf lengths stay right).

Run: /usr/bin/python3 scripts/make_hostile_onnx.py [OUT.onnx]
(Debian: python3-onnx 1.12.)
"""
import os
import sys

from onnx import TensorProto, helper

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "hostile",
    "names.onnx")

NAMES = {
    b"AAAAAAAA": b'\xff"\\\x1b\xc2\x9bmm',  # invalid byte, quote, backslash, ESC, C1
    b"BBBBBBBB": b"r\xe2\x80\xaeo\xf0\x9f\x98",  # RLO, then a cut emoji
}

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])
w = helper.make_tensor("w", TensorProto.FLOAT, [16, 16], [0.0] * 256)
nodes = [
    helper.make_node("MatMul", ["x", "w"], ["h"], name="AAAAAAAA"),
    helper.make_node("Relu", ["h"], ["y"], name="BBBBBBBB"),
]
graph = helper.make_graph(nodes, "hostile", [x], [y], initializer=[w])
data = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()
for placeholder, name in NAMES.items():
    assert len(placeholder) == len(name) and data.count(placeholder) == 1
    data = data.replace(placeholder, name)
with open(OUT, "wb") as f:
    f.write(data)
