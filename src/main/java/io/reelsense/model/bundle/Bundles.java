package io.reelsense.model.bundle;

import ai.djl.Device;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.baseline.BaselineClassifier;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.ensemble.EnsembleClassifier;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.HfCheckpoint;
import io.reelsense.text.CleaningProfile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The one reader and writer of model bundles. A bundle is a directory: {@code manifest.json} (see
 * {@link BundleManifest}) and the model files it lists with their sha256. Kinds:
 *
 * <ul>
 *   <li>{@code tfidf-lr}, {@code tfidf-nb} (the TF-IDF baseline): {@code vectorizer.bin.gz}
 *       (settings, vocabulary, idf) and one gzip'd binary linear model per head ({@code
 *       sentiment.bin.gz}, {@code rating.bin.gz});
 *   <li>{@code encoder} (a BERT encoder, frozen or fine-tuned, with linear heads on its pooled
 *       vector): {@code encoder/config.json} + {@code encoder/model.safetensors} (a Hugging Face
 *       checkpoint directory, loadable by {@code transformers}' {@code from_pretrained}), {@code
 *       encoder/tokenizer.json}, the heads as for the baseline, and pooling, normalization, prefix,
 *       max length and truncation in the manifest;
 *   <li>{@code ensemble}: complete member bundles in {@code members/<name>/} (any kind but
 *       ensemble) and either stacking heads ({@code sentiment.bin.gz}, {@code rating.bin.gz}, as
 *       for the baseline, over the features {@link EnsembleClassifier#stackFeatures} makes of the
 *       members' scores; every member's weight is then 1) or, without them, the weights of an
 *       average of the members' class probabilities in the manifest's {@code members} list (one set
 *       for sentiment, one for rating); the files map holds each member's {@code manifest.json},
 *       whose own files map covers the rest.
 * </ul>
 *
 * <p>Loading checks the format version, the kind and every listed file (present, same sha256), and
 * fails with a {@link BundleException} naming the file otherwise.
 */
public final class Bundles {

  /**
   * The bundle format this code writes: 2 since an ensemble may stack (a version-1 reader would
   * ignore the stacking heads and average the members instead, so it must refuse these bundles).
   */
  public static final int FORMAT_VERSION = 2;

  /** The oldest format this code reads: version 1 is version 2 without stacking ensembles. */
  public static final int OLDEST_FORMAT_VERSION = 1;

  public static final String MANIFEST = "manifest.json";
  public static final String VECTORIZER_FILE = "vectorizer.bin.gz";
  public static final String SENTIMENT_FILE = "sentiment.bin.gz";
  public static final String RATING_FILE = "rating.bin.gz";

  public static final String TASK_SENTIMENT = "sentiment";
  public static final String TASK_RATING = "rating";

  /** Kinds of bundle made of a TF-IDF vectorizer and linear heads. */
  public static final Set<String> BASELINE_KINDS = Set.of("tfidf-lr", "tfidf-nb");

  /** A BERT encoder (frozen or fine-tuned) with linear heads on its pooled vector. */
  public static final String ENCODER_KIND = "encoder";

  /** The encoder's Hugging Face checkpoint directory inside an encoder bundle. */
  public static final String ENCODER_DIR = "encoder";

  /** The encoder's tokenizer inside an encoder bundle. */
  public static final String TOKENIZER_FILE = ENCODER_DIR + "/tokenizer.json";

  /** Several bundles whose class probabilities are averaged. */
  public static final String ENSEMBLE_KIND = "ensemble";

  /** Where an ensemble keeps its member bundles. */
  public static final String MEMBERS_DIR = "members";

  private static final java.util.regex.Pattern MEMBER_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final String ENCODER_CONFIG = ENCODER_DIR + "/" + HfCheckpoint.CONFIG;
  private static final String ENCODER_WEIGHTS = ENCODER_DIR + "/" + HfCheckpoint.WEIGHTS;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Bundles() {}

  /**
   * Loads the bundle in {@code dir} as a classifier: the sentiment head and, when present, the
   * rating head; texts are cleaned with the bundle's cleaning profile first.
   */
  public static ReviewClassifier load(Path dir) {
    return load(dir, List.of());
  }

  /**
   * As {@link #load(Path)}, and fails naming the bundle when it lacks one of {@code requiredTasks}
   * ({@code sentiment}, {@code rating}), e.g. when the stream must emit stars.
   */
  public static ReviewClassifier load(Path dir, List<String> requiredTasks) {
    return load(dir, requiredTasks, "auto");
  }

  /**
   * As {@link #load(Path, List)}, with the device encoders run on: {@code auto} (the GPU when DJL
   * finds one, else the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}. Bag-of-words bundles
   * ignore it.
   */
  public static ReviewClassifier load(Path dir, List<String> requiredTasks, String device) {
    BundleManifest manifest = readManifest(dir);
    for (String task : requiredTasks) {
      if (!manifest.tasks().contains(task)) {
        throw new BundleException(
            "bundle "
                + dir
                + " was trained for "
                + manifest.tasks()
                + ", not "
                + task
                + " (see "
                + dir.resolve(MANIFEST)
                + "); train one with --task "
                + task
                + " or --task both");
      }
    }
    if (BASELINE_KINDS.contains(manifest.kind())) {
      return loadBaseline(dir);
    }
    if (ENCODER_KIND.equals(manifest.kind())) {
      return loadEncoder(dir, device(device, dir), EncoderClassifier.DEFAULT_BATCH_SIZE);
    }
    if (ENSEMBLE_KIND.equals(manifest.kind())) {
      return loadEnsemble(dir, device);
    }
    throw unknownKind(dir, manifest);
  }

  /** The kinds this build loads. */
  public static List<String> knownKinds() {
    List<String> kinds = new ArrayList<>(BASELINE_KINDS.stream().sorted().toList());
    kinds.add(ENCODER_KIND);
    kinds.add(ENSEMBLE_KIND);
    return kinds;
  }

  private static BundleException unknownKind(Path dir, BundleManifest manifest) {
    return new BundleException(
        "bundle "
            + dir.resolve(MANIFEST)
            + " is of kind '"
            + manifest.kind()
            + "', which this build cannot load (known: "
            + String.join(", ", knownKinds())
            + ")");
  }

  private static Device device(String option, Path dir) {
    try {
      return Devices.parse(option);
    } catch (IllegalArgumentException e) {
      throw new BundleException(
          "cannot load the encoder of bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Reads and checks {@code manifest.json}: present, parseable, of this format version. */
  public static BundleManifest readManifest(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BundleException(
          "model bundle " + dir + " is not a directory (pass the folder made by 'train --out')");
    }
    Path file = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(file)) {
      throw new BundleException(
          "model bundle " + dir + " has no " + MANIFEST + ": missing " + file);
    }
    BundleManifest manifest;
    try {
      manifest = MAPPER.readValue(file.toFile(), BundleManifest.class);
    } catch (IOException e) {
      throw new BundleException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (manifest.formatVersion() < OLDEST_FORMAT_VERSION
        || manifest.formatVersion() > FORMAT_VERSION) {
      throw new BundleException(
          file
              + " has bundle format version "
              + manifest.formatVersion()
              + " but this build reads versions "
              + OLDEST_FORMAT_VERSION
              + " to "
              + FORMAT_VERSION
              + "; retrain the model with this build or use the reelsense version that made it ("
              + manifest.codeVersion()
              + ")");
    }
    if (manifest.kind() == null || manifest.tasks() == null || manifest.tasks().isEmpty()) {
      throw new BundleException(file + " lacks 'kind' or 'tasks'");
    }
    return manifest;
  }

  /** {@link #readManifest(Path)}, failing unless the bundle is of one of {@code kinds}. */
  private static BundleManifest readManifest(Path dir, Set<String> kinds, String what) {
    BundleManifest manifest = readManifest(dir);
    if (!kinds.contains(manifest.kind())) {
      throw new BundleException(
          dir.resolve(MANIFEST) + " is of kind '" + manifest.kind() + "', not " + what);
    }
    return manifest;
  }

  /** Loads a TF-IDF baseline bundle. */
  public static BaselineClassifier loadBaseline(Path dir) {
    BundleManifest manifest = readManifest(dir, BASELINE_KINDS, "a TF-IDF baseline");
    verifyFiles(dir, manifest);
    TfidfVectorizer vectorizer = readModelFile(dir, VECTORIZER_FILE, TfidfVectorizer::read);
    LinearModel sentiment = null;
    LinearModel rating = null;
    if (manifest.tasks().contains(TASK_SENTIMENT)) {
      sentiment = readModelFile(dir, SENTIMENT_FILE, LinearModel::read);
    }
    if (manifest.tasks().contains(TASK_RATING)) {
      rating = readModelFile(dir, RATING_FILE, LinearModel::read);
    }
    BaselineModel model;
    try {
      model = new BaselineModel(vectorizer, sentiment, rating);
    } catch (IllegalArgumentException e) {
      throw new BundleException("bundle " + dir + " is inconsistent: " + e.getMessage(), e);
    }
    return new BaselineClassifier(modelId(manifest), cleaner(manifest.cleaning(), dir), model);
  }

  /**
   * A bundle to put in an ensemble.
   *
   * @param name its folder under {@code members/} (letters, digits, {@code . _ -})
   * @param bundle the bundle directory to copy
   * @param sentimentWeight its weight for the positive probability
   * @param ratingWeight its weight for the rating distribution
   */
  public record MemberSource(
      String name, Path bundle, double sentimentWeight, double ratingWeight) {}

  /**
   * Writes an ensemble bundle into {@code dir}: each member bundle is checked (format version, not
   * itself an ensemble) and copied into {@code members/<name>/}.
   *
   * @param stack the stacking heads; null for an ensemble that averages with the members' weights
   */
  public static BundleManifest writeEnsemble(
      Path dir,
      List<MemberSource> sources,
      LinearHeads stack,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    EnsembleClassifier.normalized(
        sources.stream().mapToDouble(MemberSource::sentimentWeight).toArray(),
        sources.size(),
        "sentiment");
    EnsembleClassifier.normalized(
        sources.stream().mapToDouble(MemberSource::ratingWeight).toArray(),
        sources.size(),
        "rating");
    Map<String, String> files = new LinkedHashMap<>();
    List<EnsembleMember> members = new ArrayList<>();
    boolean rating = true;
    java.util.Set<String> names = new java.util.HashSet<>();
    for (MemberSource source : sources) {
      if (!MEMBER_NAME.matcher(source.name()).matches() || !names.add(source.name())) {
        throw new IllegalArgumentException(
            "member name '" + source.name() + "' is not unique or not [A-Za-z0-9._-]+");
      }
      BundleManifest m = readManifest(source.bundle());
      if (ENSEMBLE_KIND.equals(m.kind())) {
        throw new BundleException(
            source.bundle() + " is itself an ensemble; list its members instead");
      }
      verifyFiles(source.bundle(), m);
      rating &= m.tasks().contains(TASK_RATING);
      Path target = dir.resolve(MEMBERS_DIR).resolve(source.name());
      copyTree(source.bundle(), target);
      String key = MEMBERS_DIR + "/" + source.name() + "/" + MANIFEST;
      files.put(key, sha256(dir.resolve(key)));
      members.add(
          new EnsembleMember(
              source.name(), m.kind(), source.sentimentWeight(), source.ratingWeight()));
    }
    Map<String, List<String>> labels = new LinkedHashMap<>();
    if (stack != null) {
      if (stack.sentiment() == null || (stack.rating() != null && !rating)) {
        throw new IllegalArgumentException(
            "stacking needs a sentiment head, and a rating head only if every member rates");
      }
      writeHeads(dir, stack.sentiment(), stack.rating(), labels, files);
    } else {
      labels.put(TASK_SENTIMENT, List.of("negative", "positive"));
      if (rating) {
        BundleManifest first =
            readManifest(dir.resolve(MEMBERS_DIR).resolve(sources.get(0).name()));
        labels.put(TASK_RATING, first.labels().get(TASK_RATING));
      }
    }
    return writeManifest(
        dir,
        ENSEMBLE_KIND,
        labels,
        CleaningProfile.NONE.label(),
        metrics,
        training,
        data,
        files,
        null,
        null,
        members);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      try (java.util.stream.Stream<Path> old = Files.walk(to)) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /**
   * Loads an ensemble bundle: every member (encoders on {@code device}) and the stacking heads or
   * the weights.
   */
  public static EnsembleClassifier loadEnsemble(Path dir, String device) {
    BundleManifest manifest = readManifest(dir, Set.of(ENSEMBLE_KIND), "an ensemble");
    if (manifest.members() == null || manifest.members().isEmpty()) {
      throw new BundleException(dir.resolve(MANIFEST) + " lists no 'members'");
    }
    verifyFiles(dir, manifest);
    List<ScoringClassifier> loaded = new ArrayList<>();
    try {
      for (EnsembleMember m : manifest.members()) {
        Path memberDir = dir.resolve(MEMBERS_DIR).resolve(m.name());
        BundleManifest mm = readManifest(memberDir);
        if (ENSEMBLE_KIND.equals(mm.kind())) {
          throw new BundleException(memberDir + " is an ensemble inside an ensemble");
        }
        ReviewClassifier c = load(memberDir, List.of(), device);
        loaded.add((ScoringClassifier) c);
      }
      if (manifest.files().containsKey(SENTIMENT_FILE)) {
        return new EnsembleClassifier(modelId(manifest), loaded, readHeads(dir, manifest));
      }
      return new EnsembleClassifier(
          modelId(manifest),
          loaded,
          manifest.members().stream().mapToDouble(EnsembleMember::sentimentWeight).toArray(),
          manifest.members().stream().mapToDouble(EnsembleMember::ratingWeight).toArray());
    } catch (RuntimeException e) {
      for (ScoringClassifier c : loaded) {
        c.close();
      }
      if (e instanceof BundleException) {
        throw e;
      }
      throw new BundleException("bundle " + dir + " is inconsistent: " + e.getMessage(), e);
    }
  }

  /**
   * Loads an encoder bundle as a classifier on {@code device}.
   *
   * @param batchSize texts per forward pass
   */
  public static EncoderClassifier loadEncoder(Path dir, Device device, int batchSize) {
    BundleManifest manifest = readManifest(dir);
    EncoderModel model = readEncoder(dir);
    try {
      return EncoderClassifier.of(
          modelId(manifest) + "/" + model.base(),
          model,
          cleaner(manifest.cleaning(), dir),
          device,
          batchSize);
    } catch (IllegalArgumentException e) {
      throw new BundleException("bundle " + dir + " is inconsistent: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an encoder bundle's parts (weights, tokenizer, settings, heads) without building the
   * encoder, e.g. to fine-tune it further or to write it elsewhere.
   */
  public static EncoderModel readEncoder(Path dir) {
    BundleManifest manifest = readManifest(dir, Set.of(ENCODER_KIND), "an encoder");
    EncoderSection e = manifest.encoder();
    if (e == null || manifest.maxLength() == null || manifest.truncation() == null) {
      throw new BundleException(
          dir.resolve(MANIFEST) + " lacks 'encoder', 'maxLength' or 'truncation'");
    }
    verifyFiles(dir, manifest);
    BertCheckpoint checkpoint;
    try {
      checkpoint = HfCheckpoint.read(dir.resolve(ENCODER_DIR));
    } catch (IOException ex) {
      throw new BundleException(
          "cannot read the encoder of bundle " + dir + ": " + ex.getMessage(), ex);
    }
    String tokenizer;
    try {
      tokenizer = Files.readString(dir.resolve(TOKENIZER_FILE), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new BundleException(
          "cannot read " + dir.resolve(TOKENIZER_FILE) + ": " + ex.getMessage(), ex);
    }
    try {
      Truncation.Strategy strategy = Truncation.Strategy.parse(manifest.truncation());
      Truncation truncation =
          new Truncation(
              strategy,
              manifest.maxLength(),
              strategy == Truncation.Strategy.HEAD_TAIL && e.headTokens() != null
                  ? e.headTokens()
                  : 0);
      Pooling pooling = Pooling.valueOf(e.pooling().toUpperCase(Locale.ROOT));
      return new EncoderModel(
          e.base(),
          checkpoint,
          tokenizer,
          pooling,
          e.normalize(),
          truncation,
          e.prefix(),
          e.frozen(),
          readHeads(dir, manifest));
    } catch (IllegalArgumentException | NullPointerException ex) {
      throw new BundleException("bundle " + dir + " is inconsistent: " + ex.getMessage(), ex);
    }
  }

  private static LinearHeads readHeads(Path dir, BundleManifest manifest) {
    LinearModel sentiment = null;
    LinearModel rating = null;
    if (manifest.tasks().contains(TASK_SENTIMENT)) {
      sentiment = readModelFile(dir, SENTIMENT_FILE, LinearModel::read);
    }
    if (manifest.tasks().contains(TASK_RATING)) {
      rating = readModelFile(dir, RATING_FILE, LinearModel::read);
    }
    return new LinearHeads(sentiment, rating);
  }

  /**
   * Writes an encoder bundle into {@code dir} (created if needed) and returns its manifest. Serves
   * both a frozen encoder with trained heads and a fine-tuned one.
   *
   * @param cleaning the cleaning profile the texts were trained with
   * @param metrics figures to record
   * @param training the training arguments
   * @param data sha256 of the training data files, by name
   */
  public static BundleManifest writeEncoder(
      Path dir,
      EncoderModel model,
      CleaningProfile cleaning,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    Files.createDirectories(dir.resolve(ENCODER_DIR));
    Map<String, String> files = new LinkedHashMap<>();
    HfCheckpoint.write(model.checkpoint(), dir.resolve(ENCODER_DIR), Map.of());
    Files.writeString(dir.resolve(TOKENIZER_FILE), model.tokenizerJson(), StandardCharsets.UTF_8);
    for (String name : List.of(ENCODER_CONFIG, ENCODER_WEIGHTS, TOKENIZER_FILE)) {
      files.put(name, sha256(dir.resolve(name)));
    }
    Map<String, List<String>> labels = new LinkedHashMap<>();
    writeHeads(dir, model.heads().sentiment(), model.heads().rating(), labels, files);
    Truncation t = model.truncation();
    BertConfig config = model.checkpoint().config();
    EncoderSection section =
        new EncoderSection(
            model.base(),
            model.pooling().name().toLowerCase(Locale.ROOT),
            model.normalize(),
            model.prefix(),
            t.strategy() == Truncation.Strategy.HEAD_TAIL ? t.headTokens() : null,
            model.frozen(),
            config.hiddenSize(),
            config.numLayers());
    return writeManifest(
        dir,
        ENCODER_KIND,
        labels,
        cleaning.label(),
        metrics,
        training,
        data,
        files,
        t,
        section,
        null);
  }

  /**
   * {@code head}, {@code tail} or {@code head+tail}, as {@link Truncation.Strategy#parse} reads.
   */
  static String truncationName(Truncation.Strategy strategy) {
    return switch (strategy) {
      case HEAD -> "head";
      case TAIL -> "tail";
      case HEAD_TAIL -> "head+tail";
    };
  }

  private static void writeHeads(
      Path dir,
      LinearModel sentiment,
      LinearModel rating,
      Map<String, List<String>> labels,
      Map<String, String> files)
      throws IOException {
    if (sentiment != null) {
      labels.put(TASK_SENTIMENT, List.of("negative", "positive"));
      writeModelFile(dir.resolve(SENTIMENT_FILE), sentiment::write);
      files.put(SENTIMENT_FILE, sha256(dir.resolve(SENTIMENT_FILE)));
    }
    if (rating != null) {
      List<String> stars = new ArrayList<>();
      for (int c : rating.classes()) {
        stars.add(Integer.toString(c));
      }
      labels.put(TASK_RATING, stars);
      writeModelFile(dir.resolve(RATING_FILE), rating::write);
      files.put(RATING_FILE, sha256(dir.resolve(RATING_FILE)));
    }
  }

  /**
   * Writes a TF-IDF baseline bundle into {@code dir} (created if needed) and returns its manifest.
   *
   * @param kind {@code tfidf-lr} or {@code tfidf-nb}
   * @param cleaning the cleaning profile the texts were trained with
   * @param metrics figures to record
   * @param training the training arguments
   * @param data sha256 of the training data files, by name
   */
  public static BundleManifest writeBaseline(
      Path dir,
      BaselineModel model,
      String kind,
      CleaningProfile cleaning,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    if (!BASELINE_KINDS.contains(kind)) {
      throw new IllegalArgumentException("not a baseline kind: " + kind);
    }
    Files.createDirectories(dir);
    Map<String, List<String>> labels = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    writeModelFile(dir.resolve(VECTORIZER_FILE), model.vectorizer()::write);
    files.put(VECTORIZER_FILE, sha256(dir.resolve(VECTORIZER_FILE)));
    writeHeads(dir, model.sentiment(), model.rating(), labels, files);
    return writeManifest(
        dir, kind, labels, cleaning.label(), metrics, training, data, files, null, null, null);
  }

  /**
   * Writes {@code manifest.json} of a bundle whose model files are written: this format and code
   * version, created now, one task per entry of {@code labels}.
   *
   * @param truncation how an encoder cuts texts; null for other kinds
   * @param encoder the encoder section; null for other kinds
   * @param members the ensemble's members; null for other kinds
   */
  private static BundleManifest writeManifest(
      Path dir,
      String kind,
      Map<String, List<String>> labels,
      String cleaning,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data,
      Map<String, String> files,
      Truncation truncation,
      EncoderSection encoder,
      List<EnsembleMember> members)
      throws IOException {
    BundleManifest manifest =
        new BundleManifest(
            FORMAT_VERSION,
            kind,
            new ArrayList<>(labels.keySet()),
            labels,
            cleaning,
            truncation == null ? null : truncation.maxLength(),
            truncation == null ? null : truncationName(truncation.strategy()),
            metrics,
            training,
            data,
            codeVersion(),
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            files,
            encoder,
            members);
    MAPPER.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
    return manifest;
  }

  /** The cleaner of a profile named in a manifest; fails naming the bundle when unknown. */
  static UnaryOperator<String> cleaner(String profile, Path dir) {
    if (profile == null) {
      throw new BundleException(dir.resolve(MANIFEST) + " lacks 'cleaning' (full, light or none)");
    }
    CleaningProfile p;
    try {
      p = CleaningProfile.parse(profile);
    } catch (IllegalArgumentException e) {
      throw new BundleException(dir.resolve(MANIFEST) + ": " + e.getMessage(), e);
    }
    return p == CleaningProfile.NONE ? UnaryOperator.identity() : p.cleaner()::clean;
  }

  private static String modelId(BundleManifest manifest) {
    return manifest.kind() + "@" + manifest.codeVersion();
  }

  private static void verifyFiles(Path dir, BundleManifest manifest) {
    if (manifest.files() == null) {
      throw new BundleException(dir.resolve(MANIFEST) + " lacks 'files'");
    }
    List<String> required = new ArrayList<>();
    if (BASELINE_KINDS.contains(manifest.kind())) {
      required.add(VECTORIZER_FILE);
    } else if (ENCODER_KIND.equals(manifest.kind())) {
      required.addAll(List.of(ENCODER_CONFIG, ENCODER_WEIGHTS, TOKENIZER_FILE));
    } else if (ENSEMBLE_KIND.equals(manifest.kind()) && manifest.members() != null) {
      for (EnsembleMember m : manifest.members()) {
        required.add(MEMBERS_DIR + "/" + m.name() + "/" + MANIFEST);
      }
    }
    boolean heads = !ENSEMBLE_KIND.equals(manifest.kind());
    if (heads && manifest.tasks().contains(TASK_SENTIMENT)) {
      required.add(SENTIMENT_FILE);
    }
    if (heads && manifest.tasks().contains(TASK_RATING)) {
      required.add(RATING_FILE);
    }
    for (String name : required) {
      if (!manifest.files().containsKey(name)) {
        throw new BundleException(dir.resolve(MANIFEST) + " does not list the model file " + name);
      }
    }
    Path root = dir.toAbsolutePath().normalize();
    for (Map.Entry<String, String> e : manifest.files().entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!file.toAbsolutePath().normalize().startsWith(root)) {
        throw new BundleException(
            dir.resolve(MANIFEST) + " lists a file outside the bundle: " + e.getKey());
      }
      if (!Files.isRegularFile(file)) {
        throw new BundleException(
            "model bundle "
                + dir
                + " is incomplete: missing "
                + file
                + " (listed in "
                + MANIFEST
                + ")");
      }
      String actual;
      try {
        actual = sha256(file);
      } catch (IOException ex) {
        throw new BundleException("cannot read " + file + ": " + ex.getMessage(), ex);
      }
      if (!actual.equalsIgnoreCase(e.getValue())) {
        throw new BundleException(
            file + " is damaged or was replaced: its sha256 differs from the one in " + MANIFEST);
      }
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static void writeModelFile(Path file, Writer writer) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out =
            new DataOutputStream(
                new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16))) {
      writer.write(out);
    }
  }

  private static <T> T readModelFile(Path dir, String name, Reader<T> reader) {
    Path file = dir.resolve(name);
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in =
            new DataInputStream(
                new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16))) {
      return reader.read(in);
    } catch (IOException | RuntimeException e) {
      throw new BundleException("cannot read model file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The sha256 of a file, lower-case hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The code version recorded in bundles: the jar manifest's Implementation-Version and {@code git
   * describe --always --dirty} of the working directory, joined with {@code +} when both are known
   * (e.g. {@code 0.1.0-SNAPSHOT+964a334}); {@code dev} when neither is.
   */
  public static String codeVersion() {
    String jar = Bundles.class.getPackage().getImplementationVersion();
    String git = gitDescribe();
    if (jar != null && git != null) {
      return jar + "+" + git;
    }
    return jar != null ? jar : git != null ? git : "dev";
  }

  private static String gitDescribe() {
    try {
      Process p =
          new ProcessBuilder("git", "describe", "--always", "--dirty")
              .redirectErrorStream(true)
              .start();
      byte[] output = p.getInputStream().readAllBytes();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String s = new String(output, StandardCharsets.UTF_8).strip();
        return s.isEmpty() || s.contains("\n") ? null : s;
      }
      return null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
