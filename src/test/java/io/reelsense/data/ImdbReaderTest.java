package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImdbReaderTest {

  @TempDir Path tmp;

  @Test
  void readsTheArchiveWithUrlsAfterTheReviews() throws IOException {
    Path archive = ImdbFixture.standard(3).writeArchive(tmp);

    ImdbCorpus corpus = ImdbReader.read(archive);

    assertThat(corpus.train()).hasSize(6);
    assertThat(corpus.test()).hasSize(6);
    assertThat(corpus.size()).isEqualTo(12);
    assertThat(corpus.train())
        .extracting(Review::id)
        .containsExactly(
            "train_neg_0",
            "train_neg_1",
            "train_neg_2",
            "train_pos_0",
            "train_pos_1",
            "train_pos_2");
    Review r = corpus.train().get(4);
    assertThat(r.split()).isEqualTo("train");
    assertThat(r.label()).isEqualTo(1);
    assertThat(r.rating()).isEqualTo(8);
    assertThat(r.filmId()).isEqualTo(ImdbFixture.filmId("train", "pos", 1));
    assertThat(r.text()).isEqualTo("A pos review 1 of train.<br /><br />The end.");
    assertThat(corpus.test().get(0).rating()).isEqualTo(1);
    assertThat(corpus.test().get(0).label()).isZero();
    assertThat(corpus.all()).hasSize(12).startsWith(corpus.train().get(0));
    assertThat(corpus.split("test")).isSameAs(corpus.test());
  }

  @Test
  void readsTheArchiveWithUrlsFirstTheSame() throws IOException {
    ImdbCorpus after = ImdbReader.read(ImdbFixture.standard(4).writeArchive(tmp.resolve("a")));
    ImdbCorpus first =
        ImdbReader.read(ImdbFixture.standard(4).urlsFirst().writeArchive(tmp.resolve("b")));
    assertThat(first).isEqualTo(after);
  }

  @Test
  void readsTheDataDirectoryTheFolderAndTheArchiveAlike() throws IOException {
    ImdbCorpus fromArchive =
        ImdbReader.read(ImdbFixture.standard(3).writeArchive(tmp.resolve("a")));
    Path folder = ImdbFixture.standard(3).writeFolder(tmp.resolve("f"));

    assertThat(ImdbReader.read(tmp.resolve("a"))).isEqualTo(fromArchive);
    assertThat(ImdbReader.read(tmp.resolve("f"))).isEqualTo(fromArchive);
    assertThat(ImdbReader.read(folder)).isEqualTo(fromArchive);
    assertThat(ImdbReader.locate(tmp.resolve("f"))).isEqualTo(folder);
  }

  @Test
  void readsOneSplit() throws IOException {
    Path archive = ImdbFixture.standard(2).writeArchive(tmp);
    List<Review> test = ImdbReader.readSplit(archive, "test");
    assertThat(test).extracting(Review::split).containsOnly("test");
    assertThat(test).hasSize(4);
    assertThatThrownBy(() -> ImdbReader.readSplit(archive, "unsup"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown split 'unsup'");
  }

  @Test
  void aOneSplitDataSetReadsThatSplit() throws IOException {
    ImdbFixture f = ImdbFixture.standard(2);
    for (String e : List.of("neg/0_1.txt", "neg/1_2.txt", "pos/0_7.txt", "pos/1_8.txt")) {
      f.remove("test/" + e);
    }
    f.remove("test/urls_neg.txt").remove("test/urls_pos.txt");
    Path archive = f.writeArchive(tmp);
    assertThat(ImdbReader.readSplit(archive, "train")).hasSize(4);
    assertThatThrownBy(() -> ImdbReader.read(archive))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("missing test/urls_neg.txt")
        .hasMessageContaining("is this the aclImdb data?");
  }

  @Test
  void ordersIdsNumerically() throws IOException {
    Path archive = ImdbFixture.standard(12).writeArchive(tmp);
    List<Review> train = ImdbReader.readSplit(archive, "train");
    assertThat(train.subList(0, 12))
        .extracting(Review::id)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 12).mapToObj(i -> "train_neg_" + i).toList());
  }

  @Test
  void failsOnAWrongPath() {
    Path missing = tmp.resolve("nowhere");
    assertThatThrownBy(() -> ImdbReader.read(missing))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no such file or directory")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void failsOnADirectoryWithoutData() {
    assertThatThrownBy(() -> ImdbReader.read(tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no IMDb data in " + tmp)
        .hasMessageContaining("aclImdb_v1.tar.gz");
  }

  @Test
  void failsOnATruncatedArchiveNamingTheFile() throws IOException {
    Path archive = ImdbFixture.standard(20).writeArchive(tmp);
    byte[] bytes = Files.readAllBytes(archive);
    Files.write(archive, Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> ImdbReader.read(archive))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(archive.toString())
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void failsOnAFileThatIsNotGzip() throws IOException {
    Path archive = tmp.resolve(DataLocation.IMDB_ARCHIVE);
    Files.writeString(archive, "<html>not found</html>");
    assertThatThrownBy(() -> ImdbReader.read(tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(archive.toString())
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void failsOnAFileNameWithoutARating() throws IOException {
    Path archive = ImdbFixture.standard(2).put("train/pos/2.txt", "no rating").writeArchive(tmp);
    assertThatThrownBy(() -> ImdbReader.read(archive))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("file name without a rating")
        .hasMessageContaining("aclImdb/train/pos/2.txt")
        .hasMessageContaining("<id>_<rating>.txt");
  }

  @Test
  void failsOnARatingOutOfRange() throws IOException {
    Path folder =
        ImdbFixture.standard(2)
            .remove("test/neg/1_2.txt")
            .put("test/neg/1_11.txt", "x")
            .writeFolder(tmp);
    assertThatThrownBy(() -> ImdbReader.read(folder))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("rating out of range")
        .hasMessageContaining("test/neg/1_11.txt");
  }

  @Test
  void failsOnAMissingUrlsLine() throws IOException {
    Path archive =
        ImdbFixture.standard(3)
            .put("test/urls_pos.txt", ImdbFixture.urls("test", "pos", 2))
            .writeArchive(tmp);
    assertThatThrownBy(() -> ImdbReader.read(archive))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("missing urls line")
        .hasMessageContaining("aclImdb/test/pos/2_9.txt")
        .hasMessageContaining("test/urls_pos.txt")
        .hasMessageContaining("has only 2 lines");
  }

  @Test
  void failsOnAUrlsLineWithoutFilmId() throws IOException {
    Path folder =
        ImdbFixture.standard(2)
            .put(
                "train/urls_neg.txt", "http://www.imdb.com/title/tt0000001/\nhttp://example.com/\n")
            .writeFolder(tmp);
    assertThatThrownBy(() -> ImdbReader.read(folder))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no IMDb film id")
        .hasMessageContaining("line 1 (0-based) of train/urls_neg.txt");
  }

  @Test
  void failsWhenAReviewIsMissing() throws IOException {
    Path archive = ImdbFixture.standard(3).remove("train/neg/1_2.txt").writeArchive(tmp);
    assertThatThrownBy(() -> ImdbReader.read(archive))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("count mismatch")
        .hasMessageContaining("train/neg/ has 2 reviews but train/urls_neg.txt has 3 lines");
  }

  @Test
  void failsOnADuplicateId() throws IOException {
    Path archive = ImdbFixture.standard(2).put("train/pos/1_10.txt", "again").writeArchive(tmp);
    assertThatThrownBy(() -> ImdbReader.read(archive))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("two reviews with id 1");
  }
}
