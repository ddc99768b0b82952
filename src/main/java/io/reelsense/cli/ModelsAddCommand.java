package io.reelsense.cli;

import io.reelsense.model.encoder.ModelAddition;
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

  @Override
  protected Report execute() throws Exception {
    if (!Files.isDirectory(dir)) {
      throw new UserError("DIR: " + dir + " is not a directory");
    }
    ModelAddition added;
    try {
      added = ModelAddition.add(name, dir);
    } catch (CheckpointException e) {
      throw new UserError(e.getMessage());
    } catch (ModelAddition.BadName e) {
      throw new UserError("NAME: " + e.getMessage());
    }
    return Report.of(added.summary(), added);
  }
}
