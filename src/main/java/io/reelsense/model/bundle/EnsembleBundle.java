package io.reelsense.model.bundle;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.encoder.Precision;
import io.reelsense.model.ensemble.EnsembleClassifier;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and writes ensemble bundles: complete member bundles in {@code members/<name>/} (any kind
 * but ensemble) and either stacking heads over the members' scores or the weights of an average of
 * their class probabilities.
 */
final class EnsembleBundle {

  /**
   * A member's folder name: a letter or digit, then up to 63 letters, digits, {@code .}, {@code _}
   * or {@code -}. No separator and no leading dot, so a member is always one folder under {@code
   * members/}.
   */
  private static final Pattern MEMBER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private EnsembleBundle() {}

  /** Whether {@code name} may name a member folder. */
  static boolean validMemberName(String name) {
    return name != null && MEMBER_NAME.matcher(name).matches();
  }

  /** Where the ensemble's manifest records the member's own manifest. */
  static String memberManifest(String name) {
    return Bundles.MEMBERS_DIR + "/" + name + "/" + Bundles.MANIFEST;
  }

  static EnsembleClassifier load(Path dir, String device, Precision precision) {
    BundleManifest manifest =
        BundleFiles.readManifest(dir, Set.of(Bundles.ENSEMBLE_KIND), "an ensemble");
    if (manifest.members() == null || manifest.members().isEmpty()) {
      throw new BundleException(dir.resolve(Bundles.MANIFEST) + " lists no 'members'");
    }
    List<String> required = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (EnsembleMember m : manifest.members()) {
      if (!validMemberName(m.name()) || !names.add(m.name())) {
        throw new BundleException(
            dir.resolve(Bundles.MANIFEST)
                + " lists the member name '"
                + m.name()
                + "', which is not unique or not a folder name ([A-Za-z0-9][A-Za-z0-9._-]*,"
                + " at most 64 characters)");
      }
      required.add(memberManifest(m.name()));
    }
    BundleFiles.verifyFiles(dir, manifest, required);
    List<ScoringClassifier> loaded = new ArrayList<>();
    try {
      for (EnsembleMember m : manifest.members()) {
        Path memberDir = dir.resolve(Bundles.MEMBERS_DIR).resolve(m.name());
        BundleFiles.inside(dir, Bundles.MEMBERS_DIR + "/" + m.name());
        BundleManifest mm = BundleFiles.readManifest(memberDir);
        if (Bundles.ENSEMBLE_KIND.equals(mm.kind())) {
          throw new BundleException(memberDir + " is an ensemble inside an ensemble");
        }
        ReviewClassifier c = Bundles.load(memberDir, List.of(), device, precision);
        loaded.add((ScoringClassifier) c);
      }
      if (manifest.files().containsKey(Bundles.SENTIMENT_FILE)) {
        boolean[] coverage = new boolean[manifest.members().size()];
        for (int i = 0; i < coverage.length; i++) {
          coverage[i] = manifest.members().get(i).coverage();
        }
        return new EnsembleClassifier(
            BundleFiles.modelId(manifest), loaded, BundleFiles.readHeads(dir, manifest), coverage);
      }
      return new EnsembleClassifier(
          BundleFiles.modelId(manifest),
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
      throw BundleFiles.inconsistent(dir, e);
    }
  }

  static BundleManifest write(
      Path dir,
      List<Bundles.MemberSource> sources,
      LinearHeads stack,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    EnsembleClassifier.normalized(
        sources.stream().mapToDouble(Bundles.MemberSource::sentimentWeight).toArray(),
        sources.size(),
        "sentiment");
    EnsembleClassifier.normalized(
        sources.stream().mapToDouble(Bundles.MemberSource::ratingWeight).toArray(),
        sources.size(),
        "rating");
    Map<String, String> files = new LinkedHashMap<>();
    List<EnsembleMember> members = new ArrayList<>();
    boolean rating = true;
    Set<String> names = new HashSet<>();
    for (Bundles.MemberSource source : sources) {
      if (!validMemberName(source.name()) || !names.add(source.name())) {
        throw new IllegalArgumentException(
            "member name '" + source.name() + "' is not unique or not [A-Za-z0-9._-]+");
      }
      BundleManifest m = BundleFiles.readManifest(source.bundle());
      if (Bundles.ENSEMBLE_KIND.equals(m.kind())) {
        throw new BundleException(
            source.bundle() + " is itself an ensemble; list its members instead");
      }
      BundleFiles.verifyFiles(source.bundle(), m, Bundles.requiredFiles(m));
      rating &= m.tasks().contains(Bundles.TASK_RATING);
      Path target = dir.resolve(Bundles.MEMBERS_DIR).resolve(source.name());
      copyTree(source.bundle(), target);
      String key = memberManifest(source.name());
      files.put(key, BundleFiles.sha256(dir.resolve(key)));
      if (source.coverage() && (stack == null || !Bundles.BASELINE_KINDS.contains(m.kind()))) {
        throw new IllegalArgumentException(
            "member '"
                + source.name()
                + "': coverage features need stacking heads and a TF-IDF baseline member");
      }
      members.add(
          new EnsembleMember(
              source.name(),
              m.kind(),
              source.sentimentWeight(),
              source.ratingWeight(),
              source.coverage() ? Boolean.TRUE : null));
    }
    Map<String, List<String>> labels = new LinkedHashMap<>();
    if (stack != null) {
      if (stack.sentiment() == null || (stack.rating() != null && !rating)) {
        throw new IllegalArgumentException(
            "stacking needs a sentiment head, and a rating head only if every member rates");
      }
      BundleFiles.writeHeads(dir, stack.sentiment(), stack.rating(), labels, files);
    } else {
      labels.put(Bundles.TASK_SENTIMENT, List.of("negative", "positive"));
      if (rating) {
        BundleManifest first =
            BundleFiles.readManifest(
                dir.resolve(Bundles.MEMBERS_DIR).resolve(sources.get(0).name()));
        labels.put(Bundles.TASK_RATING, first.labels().get(Bundles.TASK_RATING));
      }
    }
    return BundleFiles.writeManifest(
        dir,
        Bundles.ENSEMBLE_KIND,
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
      try (Stream<Path> old = Files.walk(to)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    try (Stream<Path> walk = Files.walk(from)) {
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
}
