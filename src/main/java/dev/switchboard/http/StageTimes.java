package dev.switchboard.http;

import java.util.Locale;

/**
 * How long each stage of a chat request took, for its {@code Server-Timing} response header: what
 * the gateway added, stage by stage, beside the time the upstream took. Users see the gateway's cost
 * on every answer (browsers' developer tools show the header too), and the latency figures in
 * docs/performance.md can be taken from a normal build instead of a traced one.
 *
 * <p>Each stage is marked when it ends and lasts from the end of the last stage marked before it
 * (the request's arrival for the first), so the stages add up to the time until the header is
 * written. A stage the request did not reach (a key refused before planning, say) is left out.
 *
 * <p>Marked by the request's threads one after another (its event loop, its virtual thread, its
 * event loop again); every hand-off between them orders the writes before the next reader's reads.
 */
final class StageTimes {
  /** The stages, in the order a request passes them. */
  enum Stage {
    /** From the request's first bytes to its handler running, the body read in full. */
    RECEIVE,
    /** The API key checked. */
    AUTH,
    /** The body decoded into the canonical request. */
    DECODE,
    /** The route planned: models, endpoints, BYOK keys. */
    PLAN,
    /** Rate limits taken. */
    LIMITS,
    /** Spending admission: the key's and account's room reserved. */
    ADMIT,
    /** The request journaled before any byte goes upstream, and the hand-off to the event loop. */
    JOURNAL,
    /**
     * The attempts, failovers included: until the upstream's first bytes for a stream, its whole
     * answer otherwise. Not the gateway's time.
     */
    UPSTREAM,
    /**
     * The generation's charge made durable: journaled as settled on SQLite (its commit follows the
     * answer), committed on PostgreSQL. Not for streams, whose header goes out first.
     */
    SETTLE;

    private final String metric = name().toLowerCase(Locale.ROOT);
  }

  private static final Stage[] STAGES = Stage.values();

  private final long startNanos;
  /** When each stage ended ({@link System#nanoTime}); 0 for one not reached. */
  private final long[] ends = new long[STAGES.length];

  StageTimes(long startNanos) {
    this.startNanos = startNanos;
  }

  void end(Stage stage) {
    end(stage, System.nanoTime());
  }

  void end(Stage stage, long atNanos) {
    ends[stage.ordinal()] = atNanos;
  }

  /**
   * The header's value at {@code nowNanos}, each stage as {@code name;dur=MS} in milliseconds, then
   * {@code gateway}: the time so far less the upstream's. While the upstream has not answered (a
   * stream committed early to keep-alive comments), {@code gateway} is left out rather than counted
   * with the upstream's wait in it.
   */
  String header(long nowNanos) {
    StringBuilder value = new StringBuilder(192);
    long previous = startNanos;
    long upstream = 0;
    for (Stage stage : STAGES) {
      long end = ends[stage.ordinal()];
      if (end == 0) {
        continue;
      }
      if (stage == Stage.UPSTREAM) {
        upstream = end - previous;
      }
      append(value, stage.metric, end - previous);
      previous = end;
    }
    boolean waitingForUpstream = ends[Stage.JOURNAL.ordinal()] != 0 && ends[Stage.UPSTREAM.ordinal()] == 0;
    if (!waitingForUpstream) {
      append(value, "gateway", nowNanos - startNanos - upstream);
    }
    return value.toString();
  }

  /** {@code metric;dur=MS} with three decimals (microseconds), without formatting a double. */
  private static void append(StringBuilder value, String metric, long nanos) {
    if (!value.isEmpty()) {
      value.append(", ");
    }
    long micros = Math.max(0, nanos) / 1_000;
    long fraction = micros % 1_000;
    value.append(metric).append(";dur=").append(micros / 1_000).append('.');
    if (fraction < 100) {
      value.append('0');
    }
    if (fraction < 10) {
      value.append('0');
    }
    value.append(fraction);
  }
}
