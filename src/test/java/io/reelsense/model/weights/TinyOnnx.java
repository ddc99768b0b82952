package io.reelsense.model.weights;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a small BERT graph in the layout of the Hugging Face ONNX export (named biases, anonymous
 * MatMul weights [in, out], keys reshaped by a Concat of constants, decomposed layer norms), so
 * tests can check the importer's graph walking and its errors on bytes they make themselves.
 */
final class TinyOnnx {

  static final int VOCAB = 11;
  static final int HIDDEN = 8;
  static final int HEADS = 2;
  static final int INTER = 16;
  static final int LAYERS = 2;
  static final int POSITIONS = 6;
  static final float EPS = 1e-12f;

  /** Anonymous weights by the Hugging Face name they should get, in [in, out] layout. */
  final Map<String, float[][]> linear = new HashMap<>();

  private final GraphProto.Builder g = GraphProto.newBuilder().setName("tiny");
  private final Random random = new Random(7);
  private final Set<String> omit;
  private int anon = 700;
  private int nodes;

  private TinyOnnx(Set<String> omit) {
    this.omit = omit;
  }

  static TinyOnnx build(Set<String> omit) {
    TinyOnnx t = new TinyOnnx(omit);
    t.graph();
    return t;
  }

  byte[] bytes() {
    return ModelProto.newBuilder().setIrVersion(7).setGraph(g).build().toByteArray();
  }

  private void graph() {
    init("embeddings.word_embeddings.weight", VOCAB, HIDDEN);
    init("embeddings.position_embeddings.weight", POSITIONS, HIDDEN);
    init("embeddings.token_type_embeddings.weight", 2, HIDDEN);
    String x = layerNorm("embeddings.LayerNorm", "emb_sum");
    for (int l = 0; l < LAYERS; l++) {
      String p = "encoder.layer." + l + ".";
      String q = dense(p + "attention.self.query", x, HIDDEN, HIDDEN);
      String k = dense(p + "attention.self.key", x, HIDDEN, HIDDEN);
      String v = dense(p + "attention.self.value", x, HIDDEN, HIDDEN);
      String shape =
          node("Concat", "dyn_batch", "dyn_seq", longConst(HEADS), longConst(HIDDEN / HEADS));
      String keys = node("Reshape", k, shape);
      String ctx = node("MatMul", node("MatMul", q, keys), v);
      String a = dense(p + "attention.output.dense", ctx, HIDDEN, HIDDEN);
      String h = layerNorm(p + "attention.output.LayerNorm", node("Add", a, x));
      String i = dense(p + "intermediate.dense", h, HIDDEN, INTER);
      String o = dense(p + "output.dense", i, INTER, HIDDEN);
      x = layerNorm(p + "output.LayerNorm", node("Add", o, h));
    }
  }

  private String dense(String name, String x, int in, int out) {
    String w = "onnx::MatMul_" + anon++;
    float[][] values = new float[in][out];
    float[] flat = new float[in * out];
    for (int r = 0; r < in; r++) {
      for (int c = 0; c < out; c++) {
        values[r][c] = random.nextFloat();
        flat[r * out + c] = values[r][c];
      }
    }
    linear.put(name + ".weight", values);
    if (!omit.contains(name + ".weight")) {
      g.addInitializer(floats(w, flat, in, out));
    }
    init(name + ".bias", out);
    return node("Add", name + ".bias", node("MatMul", x, w));
  }

  private String layerNorm(String name, String x) {
    init(name + ".weight", HIDDEN);
    init(name + ".bias", HIDDEN);
    String centered = node("Sub", x, node("ReduceMean", x));
    String var = node("ReduceMean", node("Pow", centered, floatConst(2f)));
    String std = node("Sqrt", node("Add", var, floatConst(EPS)));
    return node("Add", node("Mul", node("Div", centered, std), name + ".weight"), name + ".bias");
  }

  private void init(String name, int... dims) {
    if (omit.contains(name)) {
      return;
    }
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextFloat();
    }
    g.addInitializer(floats(name, v, dims));
  }

  private static TensorProto floats(String name, float[] v, int... dims) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(b.array()));
    for (int d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  private String longConst(long value) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
    TensorProto t =
        TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.INT64_VALUE)
            .addDims(1)
            .setRawData(ByteString.copyFrom(b.array()))
            .build();
    return constant(t);
  }

  private String floatConst(float value) {
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
    TensorProto t =
        TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(b.array()))
            .build();
    return constant(t);
  }

  private String constant(TensorProto value) {
    String out = "c" + nodes++;
    g.addNode(
        NodeProto.newBuilder()
            .setOpType("Constant")
            .setName("/" + out)
            .addOutput(out)
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR)
                    .setT(value)));
    return out;
  }

  private String node(String op, String... inputs) {
    String out = "n" + nodes++;
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName("/" + out).addOutput(out);
    for (String in : inputs) {
      n.addInput(in);
    }
    g.addNode(n);
    return out;
  }
}
