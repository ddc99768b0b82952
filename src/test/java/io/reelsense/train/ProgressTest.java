package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final Pattern SPEED = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)/s");

  @Test
  void aResumedBarStartsWhereTheEarlierRunStoppedAndCountsOnlyItsOwnUnitsInItsSpeed()
      throws InterruptedException {
    StringWriter out = new StringWriter();
    try (Progress.Bar bar = Progress.bars(new PrintWriter(out)).start("epoch 1/1", 9000, 10000)) {
      Thread.sleep(1100); // the speed is shown once a whole second has passed
      bar.step(8);
    }
    String last = lastRender(out.toString());
    assertThat(last).contains("9008/10000");
    Matcher speed = SPEED.matcher(last);
    assertThat(speed.find()).as("a speed in %s", last).isTrue();
    // 8 units in one or two seconds; counting the earlier run's 9,000 would show thousands
    assertThat(Double.parseDouble(speed.group(1))).isBetween(1.0, 8.0);
  }

  @Test
  void aFreshBarStartsAtZero() {
    StringWriter out = new StringWriter();
    try (Progress.Bar bar = Progress.bars(new PrintWriter(out)).start("embed", 40)) {
      bar.step(40);
    }
    assertThat(lastRender(out.toString())).contains("40/40").contains("100%");
  }

  private static String lastRender(String drawn) {
    String[] renders = drawn.strip().split("\r");
    return renders[renders.length - 1];
  }
}
