package io.reelsense.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.BertEncoder;
import io.reelsense.model.encoder.BertTextEmbedder;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.tokenizer.Truncation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Encoder throughput in texts per second, per model, batch size and max length, on the chosen
 * device (default: auto):
 *
 * <ul>
 *   <li><b>model</b>: our DJL/PyTorch encoder on pre-tokenized tensors already on the device
 *       (forward + pooling);
 *   <li><b>e2e</b>: raw review text to pooled, normalized vector through the {@link TextEmbedder}
 *       (tokenize, truncate, pad, copy in, forward, pool, normalize, copy out);
 *   <li><b>ort</b>: ONNX Runtime (CPU) on the same ONNX file and the same {@code [B, L]} input
 *       tensors (forward only).
 * </ul>
 *
 * <p>Texts are IMDb test reviews from the committed sample, each long enough to fill {@code L}
 * tokens, so every batch has exactly the shape {@code [B, L]}. System properties: {@code
 * bench.models} (default {@code minilm-l6,bge-small,e5-small}), {@code bench.batches} ({@code
 * 1,8,32}), {@code bench.lengths} ({@code 128,256,512}), {@code bench.seconds} (least time per
 * cell, default 3), {@code bench.device} ({@code auto}), {@code bench.ort} ({@code true}), {@code
 * bench.threads} (intra-op threads of both runtimes, default: the cores; 1 is much faster on an
 * oversubscribed machine, where PyTorch's OpenMP pool spins), {@code bench.memory} (texts for the
 * memory run, default 0 = none): with it, minilm-l6 embeds that many texts at batch 32 / length
 * {@code bench.memory.length} (128) and prints the resident set size every 5,000 texts.
 *
 * <pre>
 * mvn -o -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.reelsense.bench.EncoderBenchmark -Dbench.models=minilm-l6
 * </pre>
 */
public final class EncoderBenchmark {

  private EncoderBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> models = list("bench.models", "minilm-l6,bge-small,e5-small");
    int[] batches = ints("bench.batches", "1,8,32");
    int[] lengths = ints("bench.lengths", "128,256,512");
    double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
    boolean ort = Boolean.parseBoolean(System.getProperty("bench.ort", "true"));
    int memoryTexts = Integer.parseInt(System.getProperty("bench.memory", "0"));
    int threads =
        Integer.parseInt(
            System.getProperty(
                "bench.threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
    // both runtimes get the same intra-op thread count; PyTorch reads it when the engine starts
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Device device = Devices.parse(System.getProperty("bench.device", "auto"));
    List<String> reviews =
        ImdbReader.readSplit(SampleData.dir(), "test").stream().map(Review::text).toList();
    System.out.printf(
        "EncoderBenchmark: %d sample reviews, device %s, %d CPU cores, %d threads, >= %.0f s per"
            + " cell%n",
        reviews.size(), device, Runtime.getRuntime().availableProcessors(), threads, seconds);
    if (memoryTexts > 0) {
      memory(reviews, device, memoryTexts);
      return;
    }
    System.out.printf(
        "%-10s %4s %3s %10s %10s %8s %10s %9s%n",
        "model", "L", "B", "model t/s", "e2e t/s", "e2e/mdl", "ort t/s", "mdl/ort");
    for (String name : models) {
      bench(ModelCatalog.get(name), reviews, device, batches, lengths, seconds, ort, threads);
    }
  }

  private static void bench(
      PretrainedModel model,
      List<String> reviews,
      Device device,
      int[] batches,
      int[] lengths,
      double seconds,
      boolean ort,
      int threads)
      throws Exception {
    Path jar = ModelCatalog.localJar(model);
    Encoders.Loaded loaded = Encoders.load(model, jar);
    BertTokenizer tokenizer = loaded.tokenizer();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    if (ort && model.format() == PretrainedModel.Format.ONNX) {
      byte[] onnx;
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        onnx = zip.getInputStream(zip.getEntry(model.weightsEntry())).readAllBytes();
      }
      OrtSession.SessionOptions so = new OrtSession.SessionOptions();
      so.setIntraOpNumThreads(threads);
      session = env.createSession(onnx, so);
    }
    try (BertEncoder encoder = BertEncoder.load(loaded.checkpoint(), device)) {
      for (int length : lengths) {
        // reviews long enough to fill the window, so every batch is exactly [B, L]
        List<String> texts = new ArrayList<>();
        for (String r : reviews) {
          if (tokenizer.textIds(r).length >= length - 2) {
            texts.add(r);
          }
        }
        if (texts.isEmpty()) {
          System.out.printf("%-10s %4d: no sample review is that long%n", model.name(), length);
          continue;
        }
        Encoders.Options options = new Encoders.Options(Truncation.head(length), 1 << 20, "");
        List<long[]> ids = tokenizer.encodeAll(texts, Truncation.head(length));
        for (int batch : batches) {
          List<String> textBatch = cycle(texts, batch);
          List<long[]> idBatch = cycle(ids, batch);
          double modelOnly = modelOnly(encoder, idBatch, model.pooling(), seconds);
          // shares the encoder and tokenizer (closed below), so it is not closed itself
          TextEmbedder embedder =
              new BertTextEmbedder(
                  model.name(), tokenizer, encoder, model.pooling(), model.normalize(), options);
          double endToEnd = rate(() -> embedder.embed(textBatch), batch, seconds);
          double onnx = session == null ? Double.NaN : ort(env, session, idBatch, seconds);
          System.out.printf(
              "%-10s %4d %3d %10.1f %10.1f %8.2f %10.1f %9.2f%n",
              model.name(),
              length,
              batch,
              modelOnly,
              endToEnd,
              endToEnd / modelOnly,
              onnx,
              modelOnly / onnx);
        }
      }
    } finally {
      if (session != null) {
        session.close();
      }
      tokenizer.close();
    }
  }

  /** Forward + pooling on input tensors created once, on the device. */
  private static double modelOnly(
      BertEncoder encoder, List<long[]> ids, Pooling pooling, double seconds) throws Exception {
    try (NDManager inputs = encoder.newBatchManager()) {
      BertEncoder.PaddedBatch batch = encoder.pad(inputs, ids);
      return rate(
          () -> {
            try (NDManager scope = inputs.newSubManager()) {
              scope.tempAttachAll(batch.ids(), batch.typeIds(), batch.mask());
              NDArray hidden = encoder.forward(batch.ids(), batch.typeIds(), batch.mask());
              pooling.pool(hidden, batch.mask()).toFloatArray();
            }
          },
          ids.size(),
          seconds);
    }
  }

  private static double ort(
      OrtEnvironment env, OrtSession session, List<long[]> ids, double seconds) throws Exception {
    long[][] input = ids.toArray(long[][]::new);
    long[][] mask = new long[input.length][];
    long[][] types = new long[input.length][];
    for (int i = 0; i < input.length; i++) {
      mask[i] = new long[input[i].length];
      Arrays.fill(mask[i], 1L);
      types[i] = new long[input[i].length];
    }
    try (OnnxTensor a = OnnxTensor.createTensor(env, input);
        OnnxTensor b = OnnxTensor.createTensor(env, mask);
        OnnxTensor c = OnnxTensor.createTensor(env, types)) {
      Map<String, OnnxTensor> feed =
          Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c);
      return rate(
          () -> {
            try (OrtSession.Result r = session.run(feed)) {
              r.get(0);
            }
          },
          ids.size(),
          seconds);
    }
  }

  /**
   * Memory run: resident set size while minilm-l6 embeds {@code n} texts (the sample's reviews over
   * and over) at batch 32 / length 128, in calls of 1,000 texts, sampled every 5,000 texts; ends
   * with the growth from the first sample to the last.
   */
  private static void memory(List<String> reviews, Device device, int n) throws Exception {
    PretrainedModel model = ModelCatalog.get("minilm-l6");
    int length = Integer.getInteger("bench.memory.length", 128);
    Encoders.Options options = new Encoders.Options(Truncation.head(length), 32, "");
    int every = 5_000;
    System.out.printf("memory run: minilm-l6, %d texts, batch 32, max length %d%n", n, length);
    try (TextEmbedder embedder =
        Encoders.embedder(Encoders.load(model, ModelCatalog.localJar(model)), device, options)) {
      long start = System.nanoTime();
      System.out.printf("%8s %10s %10s %8s%n", "texts", "RSS MiB", "heap MiB", "t/s");
      long first = -1;
      long last = -1;
      for (int done = 0; done < n; ) {
        int size = Math.min(1_000, n - done);
        List<String> chunk = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          chunk.add(reviews.get((done + i) % reviews.size()));
        }
        embedder.embed(chunk);
        done += size;
        if (done % every == 0 || done == n) {
          double s = (System.nanoTime() - start) / 1e9;
          last = rssMiB();
          first = first < 0 ? last : first;
          Runtime rt = Runtime.getRuntime();
          System.out.printf(
              "%8d %10d %10d %8.1f%n",
              done, last, (rt.totalMemory() - rt.freeMemory()) >> 20, done / s);
        }
      }
      System.out.printf(
          "RSS from the first sample to the last: %+d MiB (%d -> %d)%n", last - first, first, last);
    }
  }

  private static long rssMiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }

  private interface Work {
    void run() throws Exception;
  }

  /** Texts per second: one warm-up call, then calls until {@code seconds} have passed (2+). */
  private static double rate(Work work, int textsPerCall, double seconds) throws Exception {
    work.run();
    long start = System.nanoTime();
    int calls = 0;
    double elapsed;
    do {
      work.run();
      calls++;
      elapsed = (System.nanoTime() - start) / 1e9;
    } while (elapsed < seconds || calls < 2);
    return calls * textsPerCall / elapsed;
  }

  private static <T> List<T> cycle(List<T> items, int n) {
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(items.get(i % items.size()));
    }
    return out;
  }

  private static List<String> list(String property, String fallback) {
    return Arrays.stream(System.getProperty(property, fallback).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static int[] ints(String property, String fallback) {
    return list(property, fallback).stream().mapToInt(Integer::parseInt).toArray();
  }
}
