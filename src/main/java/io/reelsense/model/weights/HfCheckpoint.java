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
 * Reads and writes Hugging Face checkpoint directories of the BERT family (BERT, RoBERTa,
 * DistilBERT): {@code config.json} with {@code model.safetensors} (or shards listed in {@code
 * model.safetensors.index.json}), as the hub holds them.
 *
 * <p>Every architecture is read into the one layout of {@link BertCheckpoint}: names lose their
 * {@code bert.}/{@code roberta.}/{@code distilbert.} prefix; DistilBERT's {@code
 * transformer.layer.N.attention.q_lin} (…) become BERT's {@code
 * encoder.layer.N.attention.self.query} (…); TF-style {@code LayerNorm.gamma}/{@code beta} become
 * {@code weight}/{@code bias}; the integer buffers {@code embeddings.position_ids} and {@code
 * embeddings.token_type_ids} are skipped; other tensors (a {@code classifier.*}, {@code
 * pre_classifier.*}, {@code cls.*} or {@code lm_head.*} head) are kept under their own names.
 * {@link #write} maps them back, so a checkpoint goes out in the format it came in. {@code
 * pytorch_model.bin} (a Python pickle, which can run code when read) is refused with a message
 * saying how to convert it.
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

  /** DistilBERT's names inside a layer, and BERT's for the same tensor. */
  private static final List<String[]> DISTILBERT_NAMES =
      List.of(
          new String[] {"attention.q_lin.", "attention.self.query."},
          new String[] {"attention.k_lin.", "attention.self.key."},
          new String[] {"attention.v_lin.", "attention.self.value."},
          new String[] {"attention.out_lin.", "attention.output.dense."},
          new String[] {"sa_layer_norm.", "attention.output.LayerNorm."},
          new String[] {"ffn.lin1.", "intermediate.dense."},
          new String[] {"ffn.lin2.", "output.dense."},
          new String[] {"output_layer_norm.", "output.LayerNorm."});

  private static final Set<String> BUFFERS =
      Set.of("embeddings.position_ids", "embeddings.token_type_ids");
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
          String name = canonicalName(e.name(), config.architecture());
          if (BUFFERS.contains(name)) {
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
    String positions = "embeddings.position_embeddings.weight";
    if (config.sinusoidalPositions() && !tensors.containsKey(positions)) {
      tensors.put(positions, sinusoidalTable(positions, config));
    }
    BertCheckpoint checkpoint = BertLayout.checkpoint(config, tensors, source);
    Path vocab = dir.resolve("vocab.txt");
    if (Files.isRegularFile(vocab)) {
      BertLayout.checkVocabulary(vocab, checkpoint, source);
    }
    return checkpoint;
  }

  /** Hugging Face name of a BERT checkpoint to the name used in {@link BertCheckpoint}. */
  static String canonicalName(String hfName) {
    return canonicalName(hfName, Architecture.BERT);
  }

  /**
   * Hugging Face name in an architecture's checkpoint to the name used in {@link BertCheckpoint}.
   */
  static String canonicalName(String hfName, Architecture architecture) {
    String prefix = architecture.modelType() + ".";
    String n = hfName.startsWith(prefix) ? hfName.substring(prefix.length()) : hfName;
    if (n.endsWith("LayerNorm.gamma")) {
      n = n.substring(0, n.length() - "gamma".length()) + "weight";
    } else if (n.endsWith("LayerNorm.beta")) {
      n = n.substring(0, n.length() - "beta".length()) + "bias";
    }
    if (architecture == Architecture.DISTILBERT && n.startsWith("transformer.layer.")) {
      // transformer.layer.N.<distilbert part>.weight -> encoder.layer.N.<bert part>.weight
      String rest = n.substring("transformer.layer.".length());
      int dot = rest.indexOf('.');
      String layer = rest.substring(0, dot + 1);
      String part = rest.substring(dot + 1);
      for (String[] pair : DISTILBERT_NAMES) {
        if (part.startsWith(pair[0])) {
          return "encoder.layer." + layer + pair[1] + part.substring(pair[0].length());
        }
      }
      return "encoder.layer." + layer + part;
    }
    return n;
  }

  /** The name a tensor of {@link BertCheckpoint} has in an architecture's hub checkpoint. */
  static String hubName(String name, Architecture architecture) {
    if (!ENCODER_PARTS.stream().anyMatch(name::startsWith)) {
      return name; // a head: classifier.*, pre_classifier.*, cls.*, lm_head.*
    }
    String prefix = architecture.modelType() + ".";
    if (architecture == Architecture.DISTILBERT && name.startsWith("encoder.layer.")) {
      String rest = name.substring("encoder.layer.".length());
      int dot = rest.indexOf('.');
      String layer = rest.substring(0, dot + 1);
      String part = rest.substring(dot + 1);
      for (String[] pair : DISTILBERT_NAMES) {
        if (part.startsWith(pair[1])) {
          return prefix + "transformer.layer." + layer + pair[0] + part.substring(pair[1].length());
        }
      }
      return prefix + "transformer.layer." + layer + part;
    }
    return prefix + name;
  }

  /**
   * DistilBERT's fixed position table: row p, column j holds {@code sin(p / 10000^(2(j/2)/dim))}
   * for even j and the cosine for odd j.
   */
  public static NamedTensor sinusoidalTable(String name, BertConfig c) {
    int rows = c.maxPositions();
    int dim = c.hiddenSize();
    float[] table = new float[rows * dim];
    for (int p = 0; p < rows; p++) {
      for (int j = 0; j < dim; j++) {
        double angle = p / Math.pow(10000, 2.0 * (j / 2) / dim);
        table[p * dim + j] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
      }
    }
    return new NamedTensor(name, new long[] {rows, dim}, table);
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

  /** Reads a BERT, RoBERTa or DistilBERT {@code config.json}; other architectures are refused. */
  public static BertConfig readConfig(Path configJson) throws IOException {
    JsonNode c = readJson(configJson);
    if (!c.isObject()) {
      throw new CheckpointException(configJson, "is not a JSON object");
    }
    String type = c.path("model_type").asText("");
    if (type.isEmpty()) {
      String arch = c.path("architectures").path(0).asText("");
      type =
          arch.startsWith("DistilBert")
              ? "distilbert"
              : arch.startsWith("Roberta") ? "roberta" : arch.startsWith("Bert") ? "bert" : arch;
    }
    String found = type;
    Architecture architecture =
        Architecture.ofModelType(type)
            .orElseThrow(
                () ->
                    new CheckpointException(
                        configJson,
                        "model_type '"
                            + found
                            + "' is not supported: only 'bert', 'roberta' and 'distilbert'"
                            + " checkpoints are read"));
    boolean distil = architecture == Architecture.DISTILBERT;
    String actKey = distil ? "activation" : "hidden_act";
    String act =
        switch (c.path(actKey).asText("gelu")) {
          case "gelu" -> BertConfig.GELU;
          case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> BertConfig.GELU_TANH;
          default ->
              throw new CheckpointException(
                  configJson,
                  actKey
                      + " '"
                      + c.path(actKey).asText()
                      + "' is not supported (only 'gelu', exact, and 'gelu_new', tanh)");
        };
    String pos = c.path("position_embedding_type").asText("absolute");
    if (!pos.equals("absolute")) {
      throw new CheckpointException(
          configJson, "position_embedding_type '" + pos + "' is not supported (only 'absolute')");
    }
    try {
      if (distil) {
        return new BertConfig(
            intField(configJson, c, "vocab_size", -1),
            intField(configJson, c, "dim", -1),
            intField(configJson, c, "n_layers", -1),
            intField(configJson, c, "n_heads", -1),
            intField(configJson, c, "hidden_dim", -1),
            intField(configJson, c, "max_position_embeddings", 512),
            0,
            1e-12, // DistilBERT's layer norms use this epsilon, fixed in its code
            act,
            architecture,
            c.path("pad_token_id").asInt(0),
            c.path("sinusoidal_pos_embds").asBoolean(false));
      }
      boolean roberta = architecture == Architecture.ROBERTA;
      return new BertConfig(
          intField(configJson, c, "vocab_size", -1),
          intField(configJson, c, "hidden_size", -1),
          intField(configJson, c, "num_hidden_layers", -1),
          intField(configJson, c, "num_attention_heads", -1),
          intField(configJson, c, "intermediate_size", -1),
          intField(configJson, c, "max_position_embeddings", roberta ? 514 : 512),
          intField(configJson, c, "type_vocab_size", roberta ? 1 : 2),
          c.path("layer_norm_eps").asDouble(roberta ? 1e-5 : 1e-12),
          act,
          architecture,
          c.path("pad_token_id").asInt(roberta ? 1 : 0),
          false);
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
   * {@code config.json} with the architecture's own keys and {@code model.safetensors} (F32,
   * metadata {@code format: pt}, tensors under the architecture's names and prefix).
   *
   * @param extraConfig more {@code config.json} entries (e.g. {@code id2label}); they win over the
   *     defaults, never over the architecture or the shape
   */
  public static void write(BertCheckpoint checkpoint, Path dir, Map<String, ?> extraConfig)
      throws IOException {
    Files.createDirectories(dir);
    BertConfig c = checkpoint.config();
    Architecture arch = c.architecture();
    Map<String, NamedTensor> tensors = checkpoint.tensors();
    ObjectNode json = JSON.createObjectNode();
    String head =
        switch (arch) {
          case BERT -> "classifier.weight";
          case ROBERTA -> "classifier.out_proj.weight";
          case DISTILBERT -> "classifier.weight";
        };
    boolean classifier = tensors.containsKey(head);
    String className =
        switch (arch) {
          case BERT -> "Bert";
          case ROBERTA -> "Roberta";
          case DISTILBERT -> "DistilBert";
        };
    json.putArray("architectures")
        .add(className + (classifier ? "ForSequenceClassification" : "Model"));
    json.put("initializer_range", 0.02);
    if (arch == Architecture.DISTILBERT) {
      json.put("dropout", 0.1);
      json.put("attention_dropout", 0.1);
      json.put("qa_dropout", 0.1);
      json.put("seq_classif_dropout", 0.2);
      json.put("tie_weights_", true);
    } else {
      json.put("hidden_dropout_prob", 0.1);
      json.put("attention_probs_dropout_prob", 0.1);
      json.put("position_embedding_type", "absolute");
    }
    if (arch == Architecture.ROBERTA) {
      json.put("bos_token_id", 0);
      json.put("eos_token_id", 2);
    }
    if (classifier) {
      long labels = tensors.get(head).shape()[0];
      ObjectNode id2label = json.putObject("id2label");
      ObjectNode label2id = json.putObject("label2id");
      for (int i = 0; i < labels; i++) {
        id2label.put(Integer.toString(i), "LABEL_" + i);
        label2id.put("LABEL_" + i, i);
      }
    }
    extraConfig.forEach((k, v) -> json.set(k, JSON.valueToTree(v)));
    json.put("model_type", arch.modelType());
    json.put("vocab_size", c.vocabSize());
    json.put("max_position_embeddings", c.maxPositions());
    json.put("pad_token_id", c.padTokenId());
    if (arch == Architecture.DISTILBERT) {
      json.put("dim", c.hiddenSize());
      json.put("n_layers", c.numLayers());
      json.put("n_heads", c.numHeads());
      json.put("hidden_dim", c.intermediateSize());
      json.put("activation", c.hiddenAct());
      json.put("sinusoidal_pos_embds", c.sinusoidalPositions());
    } else {
      json.put("hidden_size", c.hiddenSize());
      json.put("num_hidden_layers", c.numLayers());
      json.put("num_attention_heads", c.numHeads());
      json.put("intermediate_size", c.intermediateSize());
      json.put("type_vocab_size", c.typeVocabSize());
      json.put("layer_norm_eps", c.layerNormEps());
      json.put("hidden_act", c.hiddenAct());
    }
    JSON.writeValue(dir.resolve(CONFIG).toFile(), json);

    List<NamedTensor> out = new ArrayList<>();
    for (NamedTensor t : tensors.values()) {
      out.add(t.renamed(hubName(t.name(), arch)));
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    Safetensors.write(dir.resolve(WEIGHTS), out, Map.of("format", "pt"));
  }
}
