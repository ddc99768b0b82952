package io.reelsense.cli;

import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code reelsense models add NAME DIR}: registers a Hugging Face model directory (BERT, RoBERTa or
 * DistilBERT: {@code config.json}, {@code model.safetensors}, {@code tokenizer.json}) under a name
 * that every command then accepts as a model. The directory is read once to check it.
 */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Register a Hugging Face model directory (config.json, model.safetensors, tokenizer.json of a"
          + " BERT, RoBERTa or DistilBERT model) under NAME, usable wherever a model name is."
    })
public final class ModelsAddCommand extends ReportingCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Name to use the model by.")
  String name;

  @Parameters(index = "1", paramLabel = "DIR", description = "The model's directory.")
  Path dir;

  /** What {@code models add --json} prints. */
  public record Added(
      String name,
      String directory,
      String architecture,
      int layers,
      int hidden,
      int vocabulary,
      int maxLength,
      String registration) {}

  @Override
  protected Report execute() throws Exception {
    if (!Files.isDirectory(dir)) {
      throw new UserError("DIR: " + dir + " is not a directory");
    }
    Encoders.Loaded loaded;
    try {
      loaded = Encoders.loadDirectory(dir);
    } catch (CheckpointException e) {
      throw new UserError(e.getMessage());
    }
    loaded.tokenizer().close();
    PretrainedModel model;
    try {
      model = ModelCatalog.register(name, dir);
    } catch (IllegalArgumentException e) {
      throw new UserError("NAME: " + e.getMessage());
    }
    BertConfig c = loaded.checkpoint().config();
    Added added =
        new Added(
            model.name(),
            model.directory().toString(),
            c.architecture().modelType(),
            c.numLayers(),
            c.hiddenSize(),
            c.vocabSize(),
            c.maxLength(),
            ModelCatalog.userModelsDir().resolve(model.name() + ".json").toString());
    String summary =
        String.format(
            "added %s: %s, %d layers, hidden %d, %d tokens, up to %d tokens a text%n  from %s%n",
            added.name(),
            added.architecture(),
            added.layers(),
            added.hidden(),
            added.vocabulary(),
            added.maxLength(),
            added.directory());
    return Report.of(summary, added);
  }
}
