package dev.switchboard.app;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.jspecify.annotations.Nullable;

/**
 * Binds the logging backend: {@code System.Logger} (ours), SLF4J (Hikari, Flyway) and Vert.x all
 * end in java.util.logging, configured here to one line per record on stderr.
 */
final class LoggingSetup {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

  /**
   * java.util.logging holds loggers weakly: a level set on a logger nobody references is lost
   * when it is collected, so the quietened ones are kept here.
   */
  private static final java.util.List<Logger> QUIETENED = new java.util.ArrayList<>();

  private LoggingSetup() {}

  static void configure(String level) {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    for (var handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    BufferedStderr stderr = new BufferedStderr(new OneLine());
    root.addHandler(stderr);
    startFlusher(stderr);
    root.setLevel(julLevel(level));
    // Third-party libraries are chatty at INFO; their warnings still show.
    for (String chatty : new String[] {"com.zaxxer.hikari", "org.flywaydb", "io.netty", "io.vertx"}) {
      Logger logger = Logger.getLogger(chatty);
      logger.setLevel(Level.WARNING);
      synchronized (QUIETENED) {
        QUIETENED.add(logger);
      }
    }
    // Lettuce warns on every reconnect attempt while Redis is down; cluster.RedisLink says it once.
    Logger lettuce = Logger.getLogger("io.lettuce");
    lettuce.setLevel(Level.SEVERE);
    synchronized (QUIETENED) {
      QUIETENED.add(lettuce);
    }
  }

  /** The handler the flusher flushes: the one configured last. */
  private static volatile @Nullable BufferedStderr flushed;

  private static @Nullable Thread flusher;

  /**
   * Has one daemon flush {@code stderr} every {@value #FLUSH_PERIOD_MS} ms. {@code serve} configures
   * logging twice (before and after reading its config), and tests many times: one thread for the
   * process, not one more per call, each waking ten times a second for a handler no longer used.
   */
  static synchronized void startFlusher(BufferedStderr stderr) {
    flushed = stderr;
    if (flusher != null) {
      return;
    }
    flusher = Thread.ofPlatform().name("log-flusher").daemon(true).start(() -> {
      while (true) {
        try {
          Thread.sleep(FLUSH_PERIOD_MS);
        } catch (InterruptedException e) {
          return;
        }
        BufferedStderr current = flushed;
        if (current != null) {
          current.flush();
        }
      }
    });
  }

  private static Level julLevel(String level) {
    return switch (level) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }

  /** How long an info line may wait in the buffer before it reaches stderr. */
  private static final long FLUSH_PERIOD_MS = 100;

  /** Bytes of log lines kept before they are written; about 250 access-log lines. */
  static final int BUFFER_BYTES = 64 * 1024;

  /**
   * Records to stderr through a buffer instead of one write(2) per line (java.util.logging's
   * ConsoleHandler flushes every record): with the access log on, a busy gateway writes a line per
   * request. The buffer is ours: the handler's own character encoder writes through every 512 to 8,192
   * bytes, which on JDK 25 measured as a write(2) every three access-log lines. Warnings and errors are
   * flushed at once and a daemon flushes the rest every {@value #FLUSH_PERIOD_MS} ms, so a crash loses
   * at most that much of the info lines (the books are in the store, never in the log);
   * java.util.logging flushes it at exit.
   */
  static final class BufferedStderr extends StreamHandler {
    BufferedStderr(Formatter formatter) {
      this(new FileOutputStream(FileDescriptor.err), formatter);
    }

    BufferedStderr(OutputStream target, Formatter formatter) {
      // Closing the handler (java.util.logging does at exit) must not close file descriptor 2:
      // shutdown progress is printed to System.err after that.
      super(new FilterOutputStream(new BufferedOutputStream(target, BUFFER_BYTES)) {
        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      }, formatter);
      setLevel(Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      super.publish(record);
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        flush();
      }
    }
  }

  static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder sb = new StringBuilder(160)
          .append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
          .append(record.getLevel().getName()).append(' ')
          .append(shortName(record.getLoggerName())).append(": ")
          .append(formatMessage(record)).append('\n');
      if (record.getThrown() != null) {
        var out = new java.io.StringWriter();
        record.getThrown().printStackTrace(new java.io.PrintWriter(out));
        sb.append(out);
      }
      return sb.toString();
    }

    private static String shortName(String name) {
      if (name == null) {
        return "";
      }
      int dot = name.lastIndexOf('.');
      return dot < 0 ? name : name.substring(dot + 1);
    }
  }
}
