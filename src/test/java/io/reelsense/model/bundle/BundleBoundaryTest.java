package io.reelsense.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelsense.model.encoder.TinyEncoders;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.TinyBundles;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle is input from outside: whatever its manifest and files say, loading reads nothing
 * outside the bundle's own folder and allocates nothing before a size read from a file is bounded.
 */
class BundleBoundaryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path baseline(String name) throws Exception {
    return TinyBundles.tfidf(tmp.resolve(name), 200, 1, CleaningProfile.NONE);
  }

  private Path ensemble(Path member) throws Exception {
    Path dir = tmp.resolve("ens");
    Bundles.writeEnsemble(
        dir,
        List.of(new Bundles.MemberSource("a", member, 1, 1)),
        null,
        Map.of(),
        Map.of(),
        Map.of());
    return dir;
  }

  /** Renames the ensemble's only member to {@code name} in its manifest (members and files). */
  private static void renameMember(Path ens, String name, String sha) throws IOException {
    ObjectNode manifest = (ObjectNode) JSON.readTree(ens.resolve(Bundles.MANIFEST).toFile());
    ((ObjectNode) manifest.withArray("members").get(0)).put("name", name);
    ObjectNode files = JSON.createObjectNode();
    files.put(Bundles.MEMBERS_DIR + "/" + name + "/" + Bundles.MANIFEST, sha);
    manifest.set("files", files);
    JSON.writeValue(ens.resolve(Bundles.MANIFEST).toFile(), manifest);
  }

  @Test
  void anAbsoluteMemberPathIsRefusedEvenWithADecoyInsideTheBundle() throws Exception {
    Path ens = ensemble(baseline("a"));
    Path outside = baseline("outside");
    // the decoy: a copy of the outside manifest where "members/" + the absolute path lands inside
    String absolute = outside.toAbsolutePath().toString();
    Path decoy = ens.resolve(Bundles.MEMBERS_DIR + "/" + absolute + "/" + Bundles.MANIFEST);
    Files.createDirectories(decoy.getParent());
    Files.copy(outside.resolve(Bundles.MANIFEST), decoy);
    renameMember(ens, absolute, Bundles.sha256(decoy));

    assertThatThrownBy(() -> Bundles.load(ens, List.of(), "cpu"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("member name '" + absolute + "'");
  }

  @Test
  void aMemberNameWithParentStepsIsRefused() throws Exception {
    Path ens = ensemble(baseline("a"));
    Path sibling = tmp.resolve("sibling");
    copyTree(ens.resolve("members/a"), sibling);
    String name = "../../sibling";
    renameMember(ens, name, Bundles.sha256(sibling.resolve(Bundles.MANIFEST)));

    assertThatThrownBy(() -> Bundles.load(ens, List.of(), "cpu"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("member name '" + name + "'");
  }

  @Test
  void aModelFileThatIsASymlinkOutOfTheBundleIsRefused() throws Exception {
    Path dir = baseline("linked");
    Path outside = tmp.resolve("outside-sentiment.bin.gz");
    Path head = dir.resolve(Bundles.SENTIMENT_FILE);
    Files.move(head, outside);
    Files.createSymbolicLink(head, outside);

    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("outside the bundle")
        .hasMessageContaining(Bundles.SENTIMENT_FILE);
  }

  @Test
  void aMemberFolderThatIsASymlinkOutOfTheBundleIsRefused() throws Exception {
    Path ens = ensemble(baseline("a"));
    Path outside = tmp.resolve("elsewhere");
    Path member = ens.resolve("members/a");
    Files.move(member, outside);
    Files.createSymbolicLink(member, outside);

    assertThatThrownBy(() -> Bundles.load(ens, List.of(), "cpu"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("outside the bundle");
  }

  @Test
  void anUnlistedFileTheCheckpointReaderOpensMustNotLinkOutEither() throws Exception {
    Path dir = tmp.resolve("enc");
    Bundles.writeEncoder(
        dir,
        TinyEncoders.tinyModel(tmp, Truncation.head(16), true),
        CleaningProfile.NONE,
        Map.of(),
        Map.of(),
        Map.of());
    Path outside = Files.writeString(tmp.resolve("secret.txt"), "[PAD]\n");
    Files.createSymbolicLink(dir.resolve(Bundles.ENCODER_DIR).resolve("vocab.txt"), outside);

    assertThatThrownBy(() -> Bundles.readEncoder(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("outside the bundle")
        .hasMessageContaining("encoder/vocab.txt");
  }

  @Test
  void anOversizedLengthInALinearModelFileIsRefusedBeforeAllocating() throws Exception {
    Path dir = baseline("huge");
    Path head = dir.resolve(Bundles.SENTIMENT_FILE);
    try (OutputStream raw = Files.newOutputStream(head);
        DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
      out.writeInt(1);
      out.writeUTF("LOGISTIC");
      out.writeInt(2);
      out.writeInt(0);
      out.writeInt(1);
      out.writeInt(1);
      out.writeInt(Integer.MAX_VALUE);
    }
    ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve(Bundles.MANIFEST).toFile());
    ((ObjectNode) manifest.get("files")).put(Bundles.SENTIMENT_FILE, Bundles.sha256(head));
    JSON.writeValue(dir.resolve(Bundles.MANIFEST).toFile(), manifest);

    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(head.toString())
        .hasMessageContaining(Integer.toString(Integer.MAX_VALUE))
        .hasMessageContaining("at most");
  }

  @Test
  void theSameBundlesStillLoad() throws Exception {
    Path ens = ensemble(baseline("a"));
    try (var c = Bundles.load(ens, List.of(), "cpu")) {
      assertThat(c.classify(List.of("a fine film"))).hasSize(1);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
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
