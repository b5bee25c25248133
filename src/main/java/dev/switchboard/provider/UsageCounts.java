package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Token counts read from a provider's usage object, by the rules several providers share. Counts
 * the provider did not report stay null, apart from zero, so cost code can tell "not said" from
 * "none".
 */
public final class UsageCounts {
  private UsageCounts() {}

  /** A reported count: a number, at least 0; null when the value is missing or not a number. */
  public static @Nullable Long count(@Nullable JsonNode value) {
    return value != null && value.isNumber() ? Math.max(0, value.asLong()) : null;
  }

  /** A count where "not reported" is as good as zero. */
  public static long orZero(@Nullable Long count) {
    return count == null ? 0 : count;
  }

  /**
   * The usage of a provider whose input count leaves out the tokens read from or written to its
   * prompt cache (Anthropic, Bedrock). The canonical prompt count includes them, as OpenAI's does,
   * so the prompt is {@code input + cacheRead + cacheWrite}; the cache counts are kept as reported.
   */
  public static Usage withCacheOutsideInput(
      long input, @Nullable Long cacheRead, @Nullable Long cacheWrite, long output) {
    long prompt = input + orZero(cacheRead) + orZero(cacheWrite);
    return new Usage(Math.max(0, prompt), Math.max(0, output), cacheRead, cacheWrite, null, false);
  }
}
