package io.reelsense.train;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;

/** Where long steps report how far they are: progress bars on stderr, or nothing. */
public interface Progress {

  /** Starts a bar for a step of {@code total} units. */
  default Bar start(String task, long total) {
    return start(task, 0, total);
  }

  /**
   * Starts a bar for a step of {@code total} units of which {@code already} were done by an earlier
   * run (a resumed epoch): the bar starts there, and its speed and ETA count only this run's units.
   */
  Bar start(String task, long already, long total);

  /** One running step; {@link #step} may be called from several threads. */
  interface Bar extends AutoCloseable {
    void step(long units);

    /** Shows a short note next to the bar (e.g. the current loss); ignored by default. */
    default void message(String note) {
      // no room for notes
    }

    @Override
    void close();
  }

  /** Reports nothing. */
  Progress NONE =
      (task, already, total) ->
          new Bar() {
            @Override
            public void step(long units) {
              // nothing to draw
            }

            @Override
            public void close() {
              // nothing to close
            }
          };

  /** Progress bars with throughput and ETA drawn on one line of {@code err} each. */
  static Progress bars(PrintWriter err) {
    return (task, already, total) -> {
      ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(total)
              .startsFrom(already, Duration.ZERO)
              .showSpeed()
              .setUpdateIntervalMillis(500)
              .setConsumer(new WriterConsumer(err))
              .build();
      return new Bar() {
        @Override
        public void step(long units) {
          bar.stepBy(units);
        }

        @Override
        public void message(String note) {
          bar.setExtraMessage(note);
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    };
  }

  /** Draws a bar on one line of a writer, redrawn with carriage returns. */
  public record WriterConsumer(PrintWriter err) implements ProgressBarConsumer {
    @Override
    public int getMaxRenderedLength() {
      return 100;
    }

    @Override
    public void accept(String rendered) {
      synchronized (err) {
        err.print('\r');
        err.print(rendered);
        err.flush();
      }
    }

    @Override
    public void close() {
      synchronized (err) {
        err.println();
        err.flush();
      }
    }
  }
}
