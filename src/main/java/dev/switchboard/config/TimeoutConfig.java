package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Upstream timeouts.
 *
 * @param connect TCP (and TLS) connect; default 10 s
 * @param firstByte from sending the request to the first byte of the response body; default
 *     300 s, because a non-streamed answer from a reasoning model can take minutes
 * @param idle longest silence between two chunks of a streamed body; default 120 s
 */
public record TimeoutConfig(Duration connect, Duration firstByte, Duration idle) {
  public static final TimeoutConfig DEFAULTS =
      new TimeoutConfig(Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(120));

  public TimeoutConfig {
    requireNonNull(connect, "connect");
    requireNonNull(firstByte, "firstByte");
    requireNonNull(idle, "idle");
  }
}
