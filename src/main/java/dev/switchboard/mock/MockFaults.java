package dev.switchboard.mock;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The faults and pacing one request asked for, parsed from {@code #mock:name[=value]} directives.
 *
 * <p>Directives come from the last user message text, so they survive any gateway in between, and
 * from the {@code x-mock-fault} request header (same names, with or without the {@code #mock:}
 * prefix, separated by spaces, commas or semicolons). The header wins per directive; the header
 * value {@code none} discards the message's directives. Unknown names and unparsable values are
 * ignored, so ordinary text that happens to contain {@code #mock:} does no harm.
 *
 * <table>
 *   <caption>Directives</caption>
 *   <tr><td>{@code status=N}</td><td>answer with HTTP N (4xx/5xx) and OpenAI's error JSON</td></tr>
 *   <tr><td>{@code delay=MS}</td><td>wait before the first byte</td></tr>
 *   <tr><td>{@code chunk-delay=MS}</td><td>wait between stream frames</td></tr>
 *   <tr><td>{@code chunks=N}</td><td>split streamed texts into N pieces</td></tr>
 *   <tr><td>{@code stall-after=N}</td><td>send N frames, then go silent without closing</td></tr>
 *   <tr><td>{@code error-after=N}</td><td>send N frames, then an error frame, then close</td></tr>
 *   <tr><td>{@code error-status=N}</td><td>the error frame reports HTTP N's error (429: the
 *       provider's rate-limit error) instead of the dialect's usual mid-stream failure</td></tr>
 *   <tr><td>{@code reset-after=N}</td><td>send N frames, then close the connection</td></tr>
 *   <tr><td>{@code truncate-after=N}</td><td>send N frames, then end the response normally: a
 *       body cut short with no finish and no end marker (a non-streamed body is cut in half)</td></tr>
 *   <tr><td>{@code reset}</td><td>close the connection without any response</td></tr>
 *   <tr><td>{@code malformed}</td><td>200 with an invalid JSON body, or a stream frame whose JSON is cut</td></tr>
 *   <tr><td>{@code no-usage}</td><td>leave usage out of the answer</td></tr>
 *   <tr><td>{@code reasoning}</td><td>add reasoning text before the content</td></tr>
 * </table>
 *
 * @param status HTTP error status to answer with, or null for a normal answer
 * @param firstByteDelay overrides {@link MockOptions#firstByteDelay()} when set
 * @param chunkDelay overrides {@link MockOptions#chunkDelay()} when set
 * @param chunks overrides {@link MockOptions#chunks()} when set
 * @param interruption how the answer is cut short, if at all
 * @param errorStatus the status whose error an {@link Interruption.ErrorFrame} reports, or null
 *     for the dialect's usual mid-stream failure
 * @param malformed send syntactically broken JSON (whole, or in a stream frame) with status 200
 * @param noUsage leave usage out
 * @param reasoning add reasoning text
 */
public record MockFaults(
    @Nullable Integer status,
    @Nullable Duration firstByteDelay,
    @Nullable Duration chunkDelay,
    @Nullable Integer chunks,
    Interruption interruption,
    @Nullable Integer errorStatus,
    boolean malformed,
    boolean noUsage,
    boolean reasoning) {

  /** The request header that carries directives; it wins over the message text. */
  public static final String HEADER = "x-mock-fault";

  public static final MockFaults NONE =
      new MockFaults(null, null, null, null, new Interruption.None(), null, false, false, false);

  private static final Pattern IN_TEXT = Pattern.compile("#mock:([a-z-]+)(?:=([0-9]+))?");
  private static final Pattern IN_HEADER = Pattern.compile("(?:#mock:)?([a-z-]+)(?:=([0-9]+))?");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s,;]+");

  /** How a response stops early. {@code after} counts stream frames (SSE events, event-stream messages) already sent. */
  public sealed interface Interruption {
    /** The answer runs to its end. */
    record None() implements Interruption {}

    /** Stop sending after {@code after} frames but keep the connection open, forever. */
    record Stall(int after) implements Interruption {}

    /** After {@code after} frames send an in-stream error frame and end the response. */
    record ErrorFrame(int after) implements Interruption {}

    /** After {@code after} frames close the connection; 0 means before any response. */
    record Reset(int after) implements Interruption {}

    /** After {@code after} frames end the response cleanly, as if the body were complete. */
    record Truncate(int after) implements Interruption {}
  }

  /**
   * Parses the directives of one request.
   *
   * @param lastUserText text of the last user message, or empty
   * @param header the {@code x-mock-fault} header value, or null when absent
   */
  public static MockFaults parse(String lastUserText, @Nullable String header) {
    Map<String, String> directives = new LinkedHashMap<>();
    if (lastUserText.contains("#mock:")) {
      collect(IN_TEXT.matcher(lastUserText), directives);
    }
    if (header != null && !header.isBlank()) {
      if (header.strip().equalsIgnoreCase("none")) {
        directives.clear();
      }
      for (String token : SEPARATORS.split(header.strip().toLowerCase(Locale.ROOT))) {
        Matcher m = IN_HEADER.matcher(token);
        if (m.matches()) {
          directives.put(m.group(1), m.group(2) == null ? "" : m.group(2));
        }
      }
    }
    return directives.isEmpty() ? NONE : of(directives);
  }

  private static void collect(Matcher m, Map<String, String> into) {
    while (m.find()) {
      into.put(m.group(1), m.group(2) == null ? "" : m.group(2));
    }
  }

  private static MockFaults of(Map<String, String> d) {
    Integer status = number(d, "status");
    if (status != null && (status < 400 || status > 599)) {
      status = null;
    }
    Integer delay = number(d, "delay");
    Integer chunkDelay = number(d, "chunk-delay");
    Integer chunks = number(d, "chunks");
    Integer errorStatus = number(d, "error-status");
    return new MockFaults(
        status,
        delay == null ? null : Duration.ofMillis(delay),
        chunkDelay == null ? null : Duration.ofMillis(chunkDelay),
        chunks == null || chunks < 1 ? null : chunks,
        interruption(d),
        errorStatus == null || errorStatus < 400 || errorStatus > 599 ? null : errorStatus,
        d.containsKey("malformed"),
        d.containsKey("no-usage"),
        d.containsKey("reasoning"));
  }

  // One interruption per request; the most drastic one wins when several are given.
  private static Interruption interruption(Map<String, String> d) {
    if (d.containsKey("reset") && d.get("reset").isEmpty()) {
      return new Interruption.Reset(0);
    }
    Integer resetAfter = number(d, "reset-after");
    if (resetAfter != null) {
      return new Interruption.Reset(resetAfter);
    }
    Integer truncateAfter = number(d, "truncate-after");
    if (truncateAfter != null) {
      return new Interruption.Truncate(truncateAfter);
    }
    Integer errorAfter = number(d, "error-after");
    if (errorAfter != null) {
      return new Interruption.ErrorFrame(errorAfter);
    }
    Integer stallAfter = number(d, "stall-after");
    if (stallAfter != null) {
      return new Interruption.Stall(stallAfter);
    }
    return new Interruption.None();
  }

  private static @Nullable Integer number(Map<String, String> d, String name) {
    String value = d.get(name);
    if (value == null || value.isEmpty() || value.length() > 9) {
      return null;
    }
    return Integer.parseInt(value);
  }

  /** The first-byte delay to apply, this request's directive first. */
  public Duration firstByteDelayOr(Duration fallback) {
    return firstByteDelay == null ? fallback : firstByteDelay;
  }

  /** The inter-frame delay to apply, this request's directive first. */
  public Duration chunkDelayOr(Duration fallback) {
    return chunkDelay == null ? fallback : chunkDelay;
  }

  /** The number of pieces to split streamed texts into, this request's directive first. */
  public int chunksOr(int fallback) {
    return chunks == null ? fallback : chunks;
  }
}
