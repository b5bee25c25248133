package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

/**
 * Logging.
 *
 * @param level the root level: {@code info} (default), {@code debug}, {@code warn}
 * @param requests the one-line-per-request access log (default on)
 * @param bodies log request and response bodies through the redactor (default off: prompts are
 *     private)
 */
public record LoggingConfig(String level, boolean requests, boolean bodies) {
  public static final LoggingConfig DEFAULTS = new LoggingConfig("info", true, false);

  public LoggingConfig {
    requireNonNull(level, "level");
  }
}
