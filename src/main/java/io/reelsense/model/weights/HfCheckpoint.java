package io.reelsense.model.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes Hugging Face checkpoint directories in the BERT layout: {@code config.json} with
 * {@code model.safetensors} (or shards listed in {@code model.safetensors.index.json}).
 *
 * <p>Names lose their {@code bert.} prefix; TF-style {@code LayerNorm.gamma}/{@code beta} become
 * {@code weight}/{@code bias}; the integer buffer {@code embeddings.position_ids} is skipped; other
 * tensors (a {@code classifier.*} or {@code cls.*} head) are kept under their own names. Only
 * {@code model_type} {@code bert} is read: DistilBERT and RoBERTa differ in names, position offsets
 * and token types, and are refused with an error saying so.
 */
public final class HfCheckpoint {

  /** The weights file of an unsharded checkpoint. */
  public static final String WEIGHTS = "model.safetensors";

  /** The index of a sharded checkpoint. */
  public static final String INDEX = "model.safetensors.index.json";

  /** The configuration file. */
  public static final String CONFIG = "config.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String PREFIX = "bert.";
  private static final Set<String> ENCODER_PARTS = Set.of("embeddings.", "encoder.", "pooler.");

  private HfCheckpoint() {}

  /** Reads a checkpoint directory; every error names the file and, where relevant, the tensor. */
  public static BertCheckpoint read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(
          dir, "not a directory (expected config.json + model.safetensors)");
    }
    BertConfig config = readConfig(dir.resolve(CONFIG));
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    List<Path> files = weightFiles(dir);
    for (Path file : files) {
      try (Safetensors st = Safetensors.open(file)) {
        for (Safetensors.Entry e : st.entries().values()) {
          String name = canonicalName(e.name());
          if (name.equals("embeddings.position_ids")) {
            continue;
          }
          if (tensors.containsKey(name)) {
            throw new CheckpointException(file, e.name(), "appears twice (as " + name + ")");
          }
          tensors.put(name, st.read(e.name(), name));
        }
      }
    }
    Path source = files.size() == 1 ? files.get(0) : dir.resolve(INDEX);
    BertCheckpoint checkpoint = BertLayout.checkpoint(config, tensors, source);
    Path vocab = dir.resolve("vocab.txt");
    if (Files.isRegularFile(vocab)) {
      BertLayout.checkVocabulary(vocab, checkpoint, source);
    }
    return checkpoint;
  }

  /** Hugging Face name to the name used in {@link BertCheckpoint}. */
  static String canonicalName(String hfName) {
    String n = hfName.startsWith(PREFIX) ? hfName.substring(PREFIX.length()) : hfName;
    if (n.endsWith("LayerNorm.gamma")) {
      n = n.substring(0, n.length() - "gamma".length()) + "weight";
    } else if (n.endsWith("LayerNorm.beta")) {
      n = n.substring(0, n.length() - "beta".length()) + "bias";
    }
    return n;
  }

  private static List<Path> weightFiles(Path dir) throws IOException {
    Path single = dir.resolve(WEIGHTS);
    if (Files.isRegularFile(single)) {
      return List.of(single);
    }
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      JsonNode map = readJson(index).get("weight_map");
      if (map == null || !map.isObject() || map.size() == 0) {
        throw new CheckpointException(index, "has no weight_map");
      }
      Set<Path> files = new LinkedHashSet<>();
      for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
        files.add(dir.resolve(it.next().asText()));
      }
      return new ArrayList<>(files);
    }
    String hint =
        Files.isRegularFile(dir.resolve("pytorch_model.bin"))
            ? " (pytorch_model.bin is a Python pickle and is not read: save the model with"
                + " safe_serialization=True)"
            : "";
    throw new CheckpointException(single, "no such file, and no " + INDEX + hint);
  }

  private static JsonNode readJson(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file, "no such file");
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new CheckpointException(file, null, "not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a BERT {@code config.json}; other architectures are refused by name. */
  public static BertConfig readConfig(Path configJson) throws IOException {
    JsonNode c = readJson(configJson);
    if (!c.isObject()) {
      throw new CheckpointException(configJson, "is not a JSON object");
    }
    String type = c.path("model_type").asText("");
    if (type.isEmpty()) {
      String arch = c.path("architectures").path(0).asText("");
      type = arch.startsWith("Bert") ? "bert" : arch;
    }
    if (!type.equals("bert")) {
      throw new CheckpointException(
          configJson,
          "model_type '"
              + type
              + "' is not supported: only the BERT layout (model_type 'bert') is read;"
              + " DistilBERT and RoBERTa checkpoints have other tensor names and position ids");
    }
    String act =
        switch (c.path("hidden_act").asText("gelu")) {
          case "gelu" -> BertConfig.GELU;
          case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> BertConfig.GELU_TANH;
          default ->
              throw new CheckpointException(
                  configJson,
                  "hidden_act '"
                      + c.path("hidden_act").asText()
                      + "' is not supported (only 'gelu', exact, and 'gelu_new', tanh)");
        };
    String pos = c.path("position_embedding_type").asText("absolute");
    if (!pos.equals("absolute")) {
      throw new CheckpointException(
          configJson, "position_embedding_type '" + pos + "' is not supported (only 'absolute')");
    }
    try {
      return new BertConfig(
          intField(configJson, c, "vocab_size", -1),
          intField(configJson, c, "hidden_size", -1),
          intField(configJson, c, "num_hidden_layers", -1),
          intField(configJson, c, "num_attention_heads", -1),
          intField(configJson, c, "intermediate_size", -1),
          intField(configJson, c, "max_position_embeddings", 512),
          intField(configJson, c, "type_vocab_size", 2),
          c.path("layer_norm_eps").asDouble(1e-12),
          act);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(configJson, null, e.getMessage(), e);
    }
  }

  private static int intField(Path file, JsonNode c, String key, int fallback)
      throws CheckpointException {
    JsonNode v = c.get(key);
    if (v == null) {
      if (fallback < 0) {
        throw new CheckpointException(file, "has no " + key);
      }
      return fallback;
    }
    if (!v.canConvertToInt() || v.asInt() <= 0) {
      throw new CheckpointException(file, key + " is " + v + ", not a positive integer");
    }
    return v.asInt();
  }

  /**
   * Writes a checkpoint that Hugging Face {@code transformers} loads with {@code from_pretrained}:
   * {@code config.json} and {@code model.safetensors} (F32, metadata {@code format: pt}, encoder
   * tensors under {@code bert.}).
   *
   * @param extraConfig more {@code config.json} entries (e.g. {@code id2label}); they win over the
   *     defaults, never over the shape
   */
  public static void write(BertCheckpoint checkpoint, Path dir, Map<String, ?> extraConfig)
      throws IOException {
    Files.createDirectories(dir);
    BertConfig c = checkpoint.config();
    ObjectNode json = JSON.createObjectNode();
    boolean classifier = checkpoint.tensors().containsKey("classifier.weight");
    json.putArray("architectures").add(classifier ? "BertForSequenceClassification" : "BertModel");
    json.put("model_type", "bert");
    json.put("hidden_dropout_prob", 0.1);
    json.put("attention_probs_dropout_prob", 0.1);
    json.put("initializer_range", 0.02);
    json.put("pad_token_id", 0);
    json.put("position_embedding_type", "absolute");
    if (classifier) {
      long labels = checkpoint.tensor("classifier.weight").shape()[0];
      ObjectNode id2label = json.putObject("id2label");
      ObjectNode label2id = json.putObject("label2id");
      for (int i = 0; i < labels; i++) {
        id2label.put(Integer.toString(i), "LABEL_" + i);
        label2id.put("LABEL_" + i, i);
      }
    }
    extraConfig.forEach((k, v) -> json.set(k, JSON.valueToTree(v)));
    json.put("vocab_size", c.vocabSize());
    json.put("hidden_size", c.hiddenSize());
    json.put("num_hidden_layers", c.numLayers());
    json.put("num_attention_heads", c.numHeads());
    json.put("intermediate_size", c.intermediateSize());
    json.put("max_position_embeddings", c.maxPositions());
    json.put("type_vocab_size", c.typeVocabSize());
    json.put("layer_norm_eps", c.layerNormEps());
    json.put("hidden_act", c.hiddenAct());
    JSON.writeValue(dir.resolve(CONFIG).toFile(), json);

    List<NamedTensor> out = new ArrayList<>();
    for (NamedTensor t : checkpoint.tensors().values()) {
      boolean encoder = ENCODER_PARTS.stream().anyMatch(t.name()::startsWith);
      out.add(encoder ? t.renamed(PREFIX + t.name()) : t);
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    Safetensors.write(dir.resolve(WEIGHTS), out, Map.of("format", "pt"));
  }
}
