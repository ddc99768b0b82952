package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocationTest {

  @TempDir Path tmp;

  private Path dataDirAt(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(DataLocation.FILM_CATALOG), "x");
    return dir.toAbsolutePath().normalize();
  }

  @Test
  void explicitDirectoryWins() throws IOException {
    Path explicit = Files.createDirectories(tmp.resolve("mine"));
    Path env = dataDirAt(tmp.resolve("env"));
    assertThat(DataLocation.resolve(explicit, Map.of(DataLocation.ENV, env.toString()), tmp))
        .isEqualTo(explicit.toAbsolutePath().normalize());
  }

  @Test
  void thenTheEnvironmentThenDataThenSharedData() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("repo"));
    Path shared = dataDirAt(tmp.resolve("shared/data"));
    assertThat(DataLocation.resolve(null, Map.of(), work)).isEqualTo(shared);

    Path local = dataDirAt(work.resolve("data"));
    assertThat(DataLocation.resolve(null, Map.of(), work)).isEqualTo(local);

    Path env = dataDirAt(tmp.resolve("env"));
    assertThat(DataLocation.resolve(null, Map.of(DataLocation.ENV, env.toString()), work))
        .isEqualTo(env);
  }

  @Test
  void skipsAnEmptyDataFolder() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("repo"));
    Files.createDirectories(work.resolve("data"));
    Path shared = Files.createDirectories(tmp.resolve("shared/data/aclImdb"));
    assertThat(DataLocation.resolve(null, Map.of(), work)).isEqualTo(shared.getParent());
  }

  @Test
  void listsWhatWasTriedWhenNothingIsFound() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("repo"));
    Files.createDirectories(work.resolve("data"));
    assertThatThrownBy(() -> DataLocation.resolve(null, Map.of(), work))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no data directory found")
        .hasMessageContaining("--data (not given)")
        .hasMessageContaining("REELSENSE_DATA (not set)")
        .hasMessageContaining("./data (" + work.resolve("data") + ": no data files in it)")
        .hasMessageContaining("./../shared/data (" + tmp.resolve("shared/data") + ": not found)");
  }

  @Test
  void anExplicitDirectoryMustExist() {
    Path missing = tmp.resolve("missing");
    assertThatThrownBy(() -> DataLocation.resolve(missing, Map.of(), tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(missing + " (from --data) does not exist");
    assertThatThrownBy(
            () -> DataLocation.resolve(null, Map.of(DataLocation.ENV, missing.toString()), tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("(from REELSENSE_DATA) does not exist");
  }
}
