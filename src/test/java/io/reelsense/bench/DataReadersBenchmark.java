package io.reelsense.bench;

import io.reelsense.data.DataLocation;
import io.reelsense.data.FilmCatalogReader;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.StratifiedSplit;
import java.nio.file.Path;

/**
 * Reads the full IMDb data and the film catalog and prints times and heap use. Target: all 50,000
 * reviews in under 10 s. Run: {@code mvn -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.reelsense.bench.DataReadersBenchmark [-Dexec.args=DIR]}.
 */
public final class DataReadersBenchmark {

  private DataReadersBenchmark() {}

  public static void main(String[] args) {
    Path dir = DataLocation.resolve(args.length > 0 ? Path.of(args[0]) : null);
    {
      String source = "imdb";
      long t0 = System.nanoTime();
      ImdbCorpus corpus = ImdbReader.read(dir);
      long t1 = System.nanoTime();
      StratifiedSplit split = StratifiedSplit.of(corpus.train());
      long t2 = System.nanoTime();
      int films = FilmCatalogReader.read(dir).size();
      long t3 = System.nanoTime();
      long chars = corpus.all().stream().mapToLong(r -> r.text().length()).sum();
      Runtime rt = Runtime.getRuntime();
      rt.gc();
      System.out.printf(
          "%s %s: %d train + %d test reviews (%.1f M chars) in %.2f s; split %d/%d (val_positive"
              + " %d) in %.3f s; %d films in %.2f s; heap after GC %.0f MB%n",
          source,
          ImdbReader.locate(dir),
          corpus.train().size(),
          corpus.test().size(),
          chars / 1e6,
          (t1 - t0) / 1e9,
          split.train().size(),
          split.validation().size(),
          split.validationCount(1),
          (t2 - t1) / 1e9,
          films,
          (t3 - t2) / 1e9,
          (rt.totalMemory() - rt.freeMemory()) / 1e6);
    }
  }
}
