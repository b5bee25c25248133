package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LoggingSetupTest {
  /** Counts the writes that reach it: each one is a write(2) on the real stderr. */
  private static final class CountingStream extends ByteArrayOutputStream {
    int writes;

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      writes++;
      super.write(bytes, offset, length);
    }

    @Override
    public synchronized void write(int b) {
      writes++;
      super.write(b);
    }
  }

  private static LogRecord accessLine(int i) {
    LogRecord record = new LogRecord(Level.INFO, "id=gen-" + i + " key=sk-sb-v1-abc...xyz route=\"POST"
        + " /api/v1/chat/completions\" model=acme/chat provider=acme attempts=1 status=200 latency_ms=3"
        + " prompt_tokens=25 completion_tokens=160");
    record.setLoggerName("switchboard.access");
    return record;
  }

  @Test
  void infoLinesReachStderrInFewLargeWritesAndAllOfThemOnFlush() {
    CountingStream stderr = new CountingStream();
    var handler = new LoggingSetup.BufferedStderr(stderr, new LoggingSetup.OneLine());

    for (int i = 0; i < 100; i++) {
      handler.publish(accessLine(i));
    }
    // 100 lines of ~250 bytes fit in the buffer: nothing is written yet (JDK 25's encoder alone wrote
    // every 750 bytes).
    assertThat(stderr.writes).isZero();

    handler.flush();
    String written = stderr.toString(StandardCharsets.UTF_8);
    assertThat(written.lines()).hasSize(100);
    assertThat(written).contains("INFO access: id=gen-0 ").contains("id=gen-99 ");
  }

  @Test
  void aWarningIsWrittenAtOnceWithTheLinesBeforeIt() {
    CountingStream stderr = new CountingStream();
    var handler = new LoggingSetup.BufferedStderr(stderr, new LoggingSetup.OneLine());

    handler.publish(accessLine(1));
    LogRecord warning = new LogRecord(Level.WARNING, "the store is unreachable");
    warning.setLoggerName("dev.switchboard.app.StoreGuard");
    handler.publish(warning);

    assertThat(stderr.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains("INFO access: id=gen-1 ").endsWith("WARNING StoreGuard: the store is unreachable\n");
  }

  @Test
  void oneFlusherFlushesTheHandlerConfiguredLast() throws InterruptedException {
    CountingStream first = new CountingStream();
    CountingStream last = new CountingStream();
    var firstHandler = new LoggingSetup.BufferedStderr(first, new LoggingSetup.OneLine());
    var lastHandler = new LoggingSetup.BufferedStderr(last, new LoggingSetup.OneLine());

    LoggingSetup.startFlusher(firstHandler);
    LoggingSetup.startFlusher(lastHandler);
    lastHandler.publish(accessLine(7));

    long deadline = System.nanoTime() + 5_000_000_000L;
    while (last.writes == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(last.toString(StandardCharsets.UTF_8)).contains("id=gen-7 ");
    assertThat(Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("log-flusher"))).hasSize(1);
  }
}
