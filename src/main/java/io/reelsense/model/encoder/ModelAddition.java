package io.reelsense.model.encoder;

import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.CheckpointException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code reelsense models add}: a Hugging Face model directory, read once to check it, then
 * registered under a name ({@link ModelCatalog#register}).
 *
 * @param name the name the model is registered under
 * @param directory the model's directory
 * @param architecture BERT, RoBERTa or DistilBERT, as the config names it
 * @param layers transformer layers
 * @param hidden hidden size
 * @param vocabulary the tokenizer's vocabulary size
 * @param maxLength the longest input in tokens
 * @param registration the registration file written
 */
public record ModelAddition(
    String name,
    String directory,
    String architecture,
    int layers,
    int hidden,
    int vocabulary,
    int maxLength,
    String registration) {

  /** The name is taken or malformed ({@link ModelCatalog#register}'s refusal). */
  public static final class BadName extends IllegalArgumentException {
    BadName(IllegalArgumentException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Reads the directory's checkpoint and tokenizer, then registers it under {@code name}.
   *
   * @throws CheckpointException when the directory does not hold a usable model
   * @throws BadName when the name cannot be used
   */
  public static ModelAddition add(String name, Path dir) throws IOException {
    Encoders.Loaded loaded = Encoders.loadDirectory(dir);
    loaded.tokenizer().close();
    PretrainedModel model;
    try {
      model = ModelCatalog.register(name, dir);
    } catch (IllegalArgumentException e) {
      throw new BadName(e);
    }
    BertConfig c = loaded.checkpoint().config();
    return new ModelAddition(
        model.name(),
        model.directory().toString(),
        c.architecture().modelType(),
        c.numLayers(),
        c.hiddenSize(),
        c.vocabSize(),
        c.maxLength(),
        ModelCatalog.userModelsDir().resolve(model.name() + ".json").toString());
  }

  /** Two lines: the model's shape, then where it comes from. */
  public String summary() {
    return String.format(
        "added %s: %s, %d layers, hidden %d, %d tokens, up to %d tokens a text%n  from %s%n",
        name, architecture, layers, hidden, vocabulary, maxLength, directory);
  }
}
