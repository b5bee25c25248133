package dev.switchboard.mock;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link MockUpstream} listens and paces its answers. Per-request {@code #mock:…} directives
 * override the pacing values (see {@link MockFaults}).
 *
 * @param host interface to bind; default {@code 127.0.0.1}
 * @param port TCP port; 0 picks an ephemeral one (read it back with {@link MockUpstream#port()})
 * @param firstByteDelay wait before the response starts (status line and headers); default zero
 * @param chunkDelay wait between two frames of a streamed answer; default zero, which sends the
 *     whole stream in one write
 * @param chunks how many pieces a streamed content (or reasoning, or tool-argument) text is split
 *     into; default 8
 * @param apiKey when set, requests must present it as their provider does ({@code Authorization:
 *     Bearer} for OpenAI, {@code api-key} for Azure, {@code x-api-key} for Anthropic, {@code
 *     x-goog-api-key} or {@code ?key=} for Gemini, {@code Authorization: Bearer} for Bedrock, which
 *     also takes any well-formed SigV4 signature) or get that provider's auth error; default none
 *     (no auth)
 */
public record MockOptions(
    String host,
    int port,
    Duration firstByteDelay,
    Duration chunkDelay,
    int chunks,
    @Nullable String apiKey) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 18080;
  public static final int DEFAULT_CHUNKS = 8;

  /** Defaults with an ephemeral port, which is what tests want. */
  public static final MockOptions DEFAULTS =
      new MockOptions(DEFAULT_HOST, 0, Duration.ZERO, Duration.ZERO, DEFAULT_CHUNKS, null);

  public MockOptions {
    requireNonNull(host, "host");
    requireNonNull(firstByteDelay, "firstByteDelay");
    requireNonNull(chunkDelay, "chunkDelay");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, was " + port);
    }
    if (firstByteDelay.isNegative() || chunkDelay.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    if (chunks < 1) {
      throw new IllegalArgumentException("chunks must be at least 1, was " + chunks);
    }
  }

  /** Defaults (ephemeral port, no delays, 8 chunks, no auth). */
  public static MockOptions of() {
    return DEFAULTS;
  }

  public MockOptions withHost(String newHost) {
    return new MockOptions(newHost, port, firstByteDelay, chunkDelay, chunks, apiKey);
  }

  public MockOptions withPort(int newPort) {
    return new MockOptions(host, newPort, firstByteDelay, chunkDelay, chunks, apiKey);
  }

  public MockOptions withFirstByteDelay(Duration delay) {
    return new MockOptions(host, port, delay, chunkDelay, chunks, apiKey);
  }

  public MockOptions withChunkDelay(Duration delay) {
    return new MockOptions(host, port, firstByteDelay, delay, chunks, apiKey);
  }

  public MockOptions withChunks(int newChunks) {
    return new MockOptions(host, port, firstByteDelay, chunkDelay, newChunks, apiKey);
  }

  public MockOptions withApiKey(@Nullable String key) {
    return new MockOptions(host, port, firstByteDelay, chunkDelay, chunks, key);
  }

  /** Keeps the API key out of logs and assertion messages. */
  @Override
  public String toString() {
    return "MockOptions[host=%s, port=%d, firstByteDelay=%s, chunkDelay=%s, chunks=%d, apiKey=%s]"
        .formatted(host, port, firstByteDelay, chunkDelay, chunks, apiKey == null ? "none" : "***");
  }
}
