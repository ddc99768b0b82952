package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.reelsense.model.TestModels;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.OnnxBertImporter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our DJL/PyTorch encoder against ONNX Runtime on the same ONNX file: last hidden state and pooled
 * vector of 22 varied texts (short, longer than 512 tokens, unicode, emoji, HTML), padded in
 * batches on our side and run one by one, unpadded, on ONNX Runtime.
 */
class OnnxParityTest {

  static final double TOLERANCE = 1e-4;

  static List<String> texts() throws Exception {
    try (InputStream in = OnnxParityTest.class.getResourceAsStream("/encoder/parity-texts.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "all-minilm-l6-v2.onnx, all-minilm-l6-v2-tokenizer.json, MEAN",
    "bge-small-en-v1.5.onnx, bge-small-en-v1.5-tokenizer.json, CLS",
    "e5-small-v2.onnx, e5-small-v2-tokenizer.json, MEAN"
  })
  void matchesOnnxRuntime(String onnx, String tokenizerJson, Pooling pooling) throws Exception {
    Path jar = TestModels.jarHolding(onnx);
    BertCheckpoint checkpoint = OnnxBertImporter.read(jar);
    List<String> texts = texts();
    assertThat(texts).hasSizeGreaterThanOrEqualTo(20);
    List<long[]> ids;
    byte[] model;
    try (ZipFile zip = new ZipFile(jar.toFile());
        BertTokenizer tokenizer =
            BertTokenizer.fromTokenizerJson(zip.getInputStream(zip.getEntry(tokenizerJson)))) {
      ids = new ArrayList<>(tokenizer.encodeAll(texts, Truncation.head(512)));
      String longest = texts.stream().max((a, b) -> a.length() - b.length()).orElseThrow();
      assertThat(tokenizer.textIds(longest).length).isGreaterThan(600);
      ids.add(tokenizer.encode(longest, Truncation.headTail(512)));
      model = zip.getInputStream(zip.getEntry(onnx)).readAllBytes();
    }

    float[][][] ours = new float[ids.size()][][];
    float[][] oursPooled = new float[ids.size()][];
    // batches of similar lengths (as the embedder makes them), padded on our side
    Integer[] order = new Integer[ids.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> ids.get(a).length - ids.get(b).length);
    try (BertEncoder encoder = BertEncoder.load(checkpoint, Device.cpu())) {
      for (int from = 0; from < order.length; from += 7) {
        List<Integer> idx = Arrays.asList(order).subList(from, Math.min(order.length, from + 7));
        BertEncoder.Encoded e =
            encoder.encode(idx.stream().map(ids::get).toList(), pooling, true, true);
        for (int k = 0; k < idx.size(); k++) {
          ours[idx.get(k)] = e.hidden()[k];
          oursPooled[idx.get(k)] = e.pooled()[k];
        }
      }
    }

    double hiddenDiff = 0;
    double pooledDiff = 0;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
      for (int i = 0; i < ids.size(); i++) {
        float[][] reference = runOrt(env, session, ids.get(i));
        assertThat(ours[i].length).isEqualTo(reference.length);
        for (int t = 0; t < reference.length; t++) {
          hiddenDiff = Math.max(hiddenDiff, maxAbsDiff(ours[i][t], reference[t]));
        }
        pooledDiff = Math.max(pooledDiff, maxAbsDiff(oursPooled[i], pool(reference, pooling)));
      }
    }
    System.out.printf(
        "parity %s (%d sequences): last hidden state max |diff| %.2e, pooled %.2e%n",
        onnx, ids.size(), hiddenDiff, pooledDiff);
    assertThat(hiddenDiff).isLessThanOrEqualTo(TOLERANCE);
    assertThat(pooledDiff).isLessThanOrEqualTo(TOLERANCE);
  }

  private static float[][] runOrt(OrtEnvironment env, OrtSession session, long[] ids)
      throws Exception {
    long[][] input = {ids};
    long[][] mask = {filled(ids.length, 1)};
    long[][] types = {filled(ids.length, 0)};
    try (OnnxTensor a = OnnxTensor.createTensor(env, input);
        OnnxTensor b = OnnxTensor.createTensor(env, mask);
        OnnxTensor c = OnnxTensor.createTensor(env, types);
        OrtSession.Result r =
            session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
      return ((float[][][]) r.get(0).getValue())[0];
    }
  }

  private static long[] filled(int n, long v) {
    long[] a = new long[n];
    Arrays.fill(a, v);
    return a;
  }

  /** The reference pooling, written out plainly: CLS or mean, then L2 normalization. */
  static float[] pool(float[][] hidden, Pooling pooling) {
    int h = hidden[0].length;
    double[] v = new double[h];
    if (pooling == Pooling.CLS) {
      for (int j = 0; j < h; j++) {
        v[j] = hidden[0][j];
      }
    } else {
      for (float[] row : hidden) {
        for (int j = 0; j < h; j++) {
          v[j] += row[j] / (double) hidden.length;
        }
      }
    }
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    float[] out = new float[h];
    for (int j = 0; j < h; j++) {
      out[j] = (float) (v[j] / norm);
    }
    return out;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
