package io.reelsense.model.weights;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a BERT encoder exported to ONNX (the Hugging Face / Optimum export, as shipped in the
 * langchain4j embedding jars) into a {@link BertCheckpoint}.
 *
 * <p>In these graphs the embeddings, biases and layer norms are initializers with Hugging Face
 * names, but every linear weight is anonymous ({@code onnx::MatMul_787}, shape {@code [in, out]}).
 * The importer follows the graph from the {@code MatMul} that reads such a weight to the {@code
 * Add} that adds a named bias ({@code encoder.layer.0.attention.self.query.bias}), names the weight
 * after it ({@code ….query.weight}) and transposes it to {@code [out, in]}. The number of attention
 * heads is read from the constant shape of the {@code Reshape} that splits the keys into heads, the
 * layer-norm epsilon from the constant added to the variance.
 */
public final class OnnxBertImporter {

  private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
  private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  private static final int INT64 = TensorProto.DataType.INT64_VALUE;

  private OnnxBertImporter() {}

  /**
   * Reads an {@code .onnx} file, or a jar/zip holding exactly one {@code .onnx} entry (such as a
   * langchain4j embedding jar).
   */
  public static BertCheckpoint read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file, "no such file");
    }
    if (isZip(file)) {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        ZipEntry entry = onnxEntry(zip, file);
        try (InputStream in = zip.getInputStream(entry)) {
          return read(in, file.resolve(entry.getName()));
        }
      }
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file);
    }
  }

  /**
   * The single {@code .onnx} entry of a jar; an error naming the jar when there is none or many.
   */
  public static ZipEntry onnxEntry(ZipFile zip, Path file) throws CheckpointException {
    List<? extends ZipEntry> found =
        zip.stream().filter(e -> !e.isDirectory() && e.getName().endsWith(".onnx")).toList();
    if (found.size() != 1) {
      throw new CheckpointException(
          file,
          found.isEmpty()
              ? "holds no .onnx entry"
              : "holds " + found.size() + " .onnx entries, expected one: " + found);
    }
    return found.get(0);
  }

  /**
   * Reads an ONNX model from a stream; {@code source} names it in errors (for an entry of a jar:
   * the jar's path followed by the entry name).
   */
  public static BertCheckpoint read(InputStream in, Path source) throws IOException {
    ModelProto model;
    try {
      CodedInputStream coded = CodedInputStream.newInstance(new BufferedInputStream(in, 1 << 20));
      coded.setSizeLimit(Integer.MAX_VALUE);
      model = ModelProto.parseFrom(coded);
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointException(
          source, null, "not a complete ONNX model (truncated or corrupt): " + e.getMessage(), e);
    }
    if (!model.hasGraph() || model.getGraph().getInitializerCount() == 0) {
      throw new CheckpointException(source, "not an ONNX model with weights (no initializers)");
    }
    return new Reader(model.getGraph(), source).checkpoint();
  }

  private static boolean isZip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3;
    }
  }

  /** One pass over one graph. */
  private static final class Reader {
    private final GraphProto graph;
    private final Path source;
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();

    Reader(GraphProto graph, Path source) {
      this.graph = graph;
      this.source = source;
      for (TensorProto t : graph.getInitializerList()) {
        initializers.put(t.getName(), t);
      }
      for (NodeProto n : graph.getNodeList()) {
        for (String out : n.getOutputList()) {
          producers.put(out, n);
        }
        for (String in : n.getInputList()) {
          consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
      }
    }

    BertCheckpoint checkpoint() throws CheckpointException {
      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      for (TensorProto t : initializers.values()) {
        if (t.getDataType() == FLOAT && isHuggingFaceName(t.getName())) {
          String name = stripPrefix(t.getName());
          tensors.put(name, floats(t, name));
        }
      }
      for (NodeProto n : graph.getNodeList()) {
        if (!n.getOpType().equals("MatMul") || n.getInputCount() != 2) {
          continue;
        }
        TensorProto w = initializers.get(n.getInput(1));
        if (w == null || isHuggingFaceName(w.getName())) {
          continue;
        }
        String bias = biasAddedTo(n.getOutput(0));
        if (bias == null) {
          throw new CheckpointException(
              source,
              w.getName(),
              "the MatMul "
                  + n.getName()
                  + " that reads this weight is not followed by an Add of a named bias");
        }
        String name = bias.substring(0, bias.length() - "bias".length()) + "weight";
        if (w.getDimsCount() != 2) {
          throw new CheckpointException(
              source, w.getName(), "a linear weight must be 2-D, found dims " + w.getDimsList());
        }
        tensors.put(name, floats(w, name).transposed(name));
      }
      BertConfig config = config(tensors);
      BertCheckpoint checkpoint = new BertCheckpoint(config, tensors);
      BertLayout.validate(checkpoint, source);
      return checkpoint;
    }

    /** The name (without prefix) of the bias initializer added to {@code output}, or null. */
    private String biasAddedTo(String output) {
      for (NodeProto c : consumers.getOrDefault(output, List.of())) {
        if (!c.getOpType().equals("Add")) {
          continue;
        }
        for (String in : c.getInputList()) {
          TensorProto t = initializers.get(in);
          if (t != null && isHuggingFaceName(in) && in.endsWith(".bias")) {
            return stripPrefix(in);
          }
        }
      }
      return null;
    }

    private BertConfig config(Map<String, NamedTensor> tensors) throws CheckpointException {
      NamedTensor words = require(tensors, "embeddings.word_embeddings.weight", 2);
      NamedTensor positions = require(tensors, "embeddings.position_embeddings.weight", 2);
      NamedTensor types = require(tensors, "embeddings.token_type_embeddings.weight", 2);
      NamedTensor intermediate = require(tensors, "encoder.layer.0.intermediate.dense.bias", 1);
      int hidden = (int) words.shape()[1];
      TreeSet<Integer> layers = new TreeSet<>();
      for (String name : tensors.keySet()) {
        Matcher m = LAYER.matcher(name);
        if (m.find()) {
          layers.add(Integer.parseInt(m.group(1)));
        }
      }
      int numLayers = layers.last() + 1;
      int heads = heads(hidden);
      return new BertConfig(
          (int) words.shape()[0],
          hidden,
          numLayers,
          heads,
          (int) intermediate.shape()[0],
          (int) positions.shape()[0],
          (int) types.shape()[0],
          layerNormEps());
    }

    private NamedTensor require(Map<String, NamedTensor> tensors, String name, int rank)
        throws CheckpointException {
      NamedTensor t = tensors.get(name);
      if (t == null) {
        throw new CheckpointException(source, name, "missing");
      }
      if (t.shape().length != rank) {
        throw new CheckpointException(
            source, name, "expected " + rank + " dimensions, found " + Arrays.toString(t.shape()));
      }
      return t;
    }

    /**
     * Heads per layer: the second-to-last entry of the constant target shape of the Reshape that
     * splits the first layer's keys into {@code [batch, seq, heads, headSize]}.
     */
    private int heads(int hidden) throws CheckpointException {
      String keyBias = findInitializer("encoder.layer.0.attention.self.key.bias");
      for (NodeProto add : consumers.getOrDefault(keyBias, List.of())) {
        for (NodeProto reshape : consumers.getOrDefault(add.getOutput(0), List.of())) {
          if (!reshape.getOpType().equals("Reshape") || reshape.getInputCount() < 2) {
            continue;
          }
          long[] shape = constantShape(reshape.getInput(1));
          if (shape != null
              && shape.length == 4
              && shape[2] > 0
              && shape[3] > 0
              && shape[2] * shape[3] == hidden) {
            return (int) shape[2];
          }
        }
      }
      throw new CheckpointException(
          source,
          keyBias,
          "cannot find the number of attention heads: no Reshape of the keys to a constant"
              + " [batch, seq, heads, head size]");
    }

    /**
     * The values of a shape tensor built from constants (a Constant, an initializer, or a Concat of
     * those and of dynamic parts, which are returned as -1); null if it is not such a tensor.
     */
    private long[] constantShape(String name) {
      long[] direct = int64Constant(name);
      if (direct != null) {
        return direct;
      }
      NodeProto p = producers.get(name);
      if (p == null || !p.getOpType().equals("Concat")) {
        return null;
      }
      List<Long> parts = new ArrayList<>();
      for (String in : p.getInputList()) {
        long[] c = int64Constant(in);
        if (c == null) {
          parts.add(-1L);
        } else {
          for (long v : c) {
            parts.add(v);
          }
        }
      }
      return parts.stream().mapToLong(Long::longValue).toArray();
    }

    private long[] int64Constant(String name) {
      TensorProto t = initializers.get(name);
      if (t == null) {
        NodeProto p = producers.get(name);
        if (p != null && p.getOpType().equals("Constant")) {
          t = attribute(p, "value");
        }
      }
      if (t == null || t.getDataType() != INT64) {
        return null;
      }
      if (t.getInt64DataCount() > 0) {
        return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
      }
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      long[] v = new long[b.remaining() / Long.BYTES];
      b.asLongBuffer().get(v);
      return v;
    }

    private static TensorProto attribute(NodeProto node, String name) {
      for (AttributeProto a : node.getAttributeList()) {
        if (a.getName().equals(name) && a.hasT()) {
          return a.getT();
        }
      }
      return null;
    }

    /**
     * The layer-norm epsilon: the attribute of a LayerNormalization node, or in a decomposed layer
     * norm the float constant added to the variance right before its square root.
     */
    private double layerNormEps() throws CheckpointException {
      for (NodeProto n : graph.getNodeList()) {
        if (n.getOpType().equals("LayerNormalization")) {
          for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("epsilon")) {
              return a.getF();
            }
          }
          return 1e-5;
        }
        if (n.getOpType().equals("Sqrt")) {
          NodeProto add = producers.get(n.getInput(0));
          if (add != null && add.getOpType().equals("Add")) {
            for (String in : add.getInputList()) {
              Float eps = floatScalar(in);
              if (eps != null) {
                return eps;
              }
            }
          }
        }
      }
      throw new CheckpointException(
          source, "cannot find the layer-norm epsilon (no LayerNormalization, no Add before Sqrt)");
    }

    private Float floatScalar(String name) {
      TensorProto t = initializers.get(name);
      if (t == null) {
        NodeProto p = producers.get(name);
        if (p != null && p.getOpType().equals("Constant")) {
          t = attribute(p, "value");
        }
      }
      if (t == null || t.getDataType() != FLOAT || t.getDimsCount() > 1) {
        return null;
      }
      if (t.getFloatDataCount() == 1) {
        return t.getFloatData(0);
      }
      ByteString raw = t.getRawData();
      if (raw.size() != Float.BYTES) {
        return null;
      }
      return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }

    private String findInitializer(String hfName) throws CheckpointException {
      for (String name : initializers.keySet()) {
        if (stripPrefix(name).equals(hfName)) {
          return name;
        }
      }
      throw new CheckpointException(source, hfName, "missing");
    }

    private NamedTensor floats(TensorProto t, String name) throws CheckpointException {
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        throw new CheckpointException(
            source,
            t.getName(),
            "stored in an external data file, which this importer does not read;"
                + " re-export the model with its weights inside the .onnx file");
      }
      long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      float[] data;
      if (t.getFloatDataCount() > 0) {
        if (t.getFloatDataCount() != n) {
          throw new CheckpointException(
              source,
              t.getName(),
              "shape "
                  + Arrays.toString(shape)
                  + " needs "
                  + n
                  + " values, found "
                  + t.getFloatDataCount());
        }
        data = new float[(int) n];
        for (int i = 0; i < n; i++) {
          data[i] = t.getFloatData(i);
        }
      } else {
        ByteString raw = t.getRawData();
        if (raw.size() != n * Float.BYTES) {
          throw new CheckpointException(
              source,
              t.getName(),
              "shape "
                  + Arrays.toString(shape)
                  + " needs "
                  + n * Float.BYTES
                  + " bytes, found "
                  + raw.size());
        }
        data = new float[(int) n];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      }
      return new NamedTensor(name, shape, data);
    }

    private static boolean isHuggingFaceName(String name) {
      String s = stripPrefix(name);
      return s.startsWith("embeddings.") || s.startsWith("encoder.") || s.startsWith("pooler.");
    }

    private static String stripPrefix(String name) {
      return name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    }
  }
}
