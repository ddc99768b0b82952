package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reelsense.avro.Film;
import io.reelsense.avro.Review;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.review.ReviewScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real browser (the system's Chromium through {@code /usr/bin/chromedriver}; no
 * driver download): reviews produced to the running stack appear with their labels, the counters
 * move, the film search and the score box answer, and the browser logs no error. Without a browser
 * the test is skipped, except when {@code CI} is set, where it fails.
 */
class LivePageBrowserTest {

  static final String DRIVER = "/usr/bin/chromedriver";
  static final String BROWSER = "/usr/bin/chromium";

  @RegisterExtension static final KafkaStack stack = new KafkaStack();

  @TempDir Path stateDir;

  private static WebDriver browser() {
    System.setProperty("webdriver.chrome.driver", DRIVER);
    System.setProperty("SE_AVOID_STATS", "true");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(BROWSER);
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(Path.of(DRIVER).toFile()).build();
    return new ChromeDriver(service, o);
  }

  private static WebDriver startBrowserOrSkip() {
    String why;
    if (!Files.isExecutable(Path.of(DRIVER)) || !Files.isExecutable(Path.of(BROWSER))) {
      why = "no " + DRIVER + " or " + BROWSER + " (apt-get install -y chromium chromium-driver)";
    } else {
      try {
        return browser();
      } catch (RuntimeException e) {
        why = "the browser did not start: " + e.getMessage().lines().findFirst().orElse("");
      }
    }
    if (System.getenv("CI") != null) {
      fail("CI is set and " + why);
    }
    assumeTrue(false, "skipping the live page's browser test: " + why);
    return null;
  }

  private static Film film(String id, String title, String description) {
    return Film.newBuilder()
        .setFilmId(id)
        .setTitle(title)
        .setYear(2001)
        .setDescription(description)
        .setGenres(List.of("Drama"))
        .build();
  }

  @Test
  void showsScoredReviewsCountersFilmsAndScoresATypedReview() throws Exception {
    WebDriver web = startBrowserOrSkip();
    Map<String, String> m = stack.settings("it-live", stateDir, "live-");
    m.put("batch.max.wait.ms", "20");
    ReelsenseConfig c = ReelsenseConfig.of(m);
    try (ReelsenseStreams app =
        ReelsenseStreams.start(
            c,
            Topics.registry(stack.client()),
            new ReviewScorer(new FakeClassifier(), new FakeFilmEmbedder()),
            new FilmCatalog(new FakeFilmEmbedder(), 2))) {
      assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
      web.manage().window().setSize(new Dimension(1280, 1500));
      web.get(app.httpUrl() + "/");
      WebDriverWait wait = new WebDriverWait(web, Duration.ofSeconds(60));
      wait.until(d -> d.findElement(By.id("status")).getText().equals("ready"));
      assertThat(web.findElement(By.id("model")).getText()).contains("fake@1");

      Properties p = new Properties();
      p.putAll(c.clientProperties());
      try (KafkaProducer<String, Film> films =
              new KafkaProducer<>(
                  p,
                  new StringSerializer(),
                  AvroSerdes.specific(stack.client(), Film.class, false).serializer());
          KafkaProducer<String, Review> reviews =
              new KafkaProducer<>(
                  p,
                  new StringSerializer(),
                  AvroSerdes.specific(stack.client(), Review.class, false).serializer());
          KafkaProducer<String, byte[]> raw =
              new KafkaProducer<>(
                  p,
                  new StringSerializer(),
                  new org.apache.kafka.common.serialization.ByteArraySerializer())) {
        for (Film f :
            List.of(
                film("kong", "King Kong", "a giant ape is shipped from his island to new york"),
                film("heist", "Casino Job", "thieves plan a heist of a vegas casino vault"),
                film("space", "Star Vault", "a crew robs a bank on a space station"))) {
          films.send(new ProducerRecord<>(c.topics().films(), f.getFilmId(), f));
        }
        for (int i = 0; i < 30; i++) {
          String film = List.of("kong", "heist", "space").get(i % 3);
          String text =
              film.equals("kong") || i % 5 == 0
                  ? "a good film number " + i
                  : "a dull film number " + i;
          reviews.send(
              new ProducerRecord<>(
                  c.topics().reviews(),
                  "r" + i,
                  Review.newBuilder()
                      .setReviewId("r" + i)
                      .setFilmId(film)
                      .setText(text)
                      .setEventTime(Instant.now())
                      .build()));
        }
        raw.send(new ProducerRecord<>(c.topics().reviews(), "bad", new byte[] {7, 0, 0, 0, 1}));
      }

      wait.until(d -> d.findElement(By.id("scored")).getText().equals("30"));
      wait.until(d -> d.findElements(By.cssSelector("#latest tbody tr")).size() >= 20);
      @SuppressWarnings("unchecked")
      List<List<String>> rows =
          (List<List<String>>)
              ((org.openqa.selenium.JavascriptExecutor) web)
                  .executeScript(
                      "return [...document.querySelectorAll('#latest tbody tr')].map(r =>"
                          + " [r.cells[0].title, r.cells[1].textContent])");
      assertThat(rows).hasSizeGreaterThanOrEqualTo(20);
      for (List<String> row : rows) {
        assertThat(row.get(1))
            .as(row.get(0))
            .isEqualTo(row.get(0).contains("good") ? "positive" : "negative");
      }
      wait.until(d -> d.findElement(By.id("dead")).getText().equals("1"));
      assertThat(web.findElement(By.id("reasons")).getText())
          .contains("deserialize/unknown_magic_byte")
          .contains("wire-format magic byte");
      wait.until(d -> d.findElement(By.id("most")).getText().contains("kong"));
      assertThat(web.findElement(By.id("most")).getText()).contains("100.0% positive");

      ((org.openqa.selenium.JavascriptExecutor) web)
          .executeScript("document.querySelector('#latest tbody tr').click()");
      wait.until(d -> d.findElement(By.id("detail")).getText().contains("Nearest films:"));

      web.findElement(By.id("films-q")).sendKeys("a giant ape in new york");
      web.findElement(By.cssSelector("#films-form button")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#films-result li.film")).isEmpty());
      assertThat(web.findElement(By.id("films-result")).getText()).contains("King Kong");

      web.findElement(By.id("score-text")).sendKeys("a good, good film");
      web.findElement(By.cssSelector("#score-form button")).click();
      wait.until(d -> !d.findElements(By.id("score-label")).isEmpty());
      assertThat(web.findElement(By.id("score-label")).getText()).isEqualTo("positive");
      assertThat(web.findElement(By.id("score-result")).getText()).contains("90.0%");

      ((org.openqa.selenium.JavascriptExecutor) web).executeScript("window.scrollTo(0, 0)");
      Path shots = Path.of("target", "live-page");
      Files.createDirectories(shots);
      Files.write(
          shots.resolve("live-page.png"),
          ((TakesScreenshot) web).getScreenshotAs(OutputType.BYTES));

      List<LogEntry> errors =
          web.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
              .toList();
      assertThat(errors)
          .as(errors.stream().map(LogEntry::getMessage).collect(Collectors.joining("\n")))
          .isEmpty();
    } finally {
      web.quit();
    }
  }
}
