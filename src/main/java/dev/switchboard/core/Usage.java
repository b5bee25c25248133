package dev.switchboard.core;

import org.jspecify.annotations.Nullable;

/**
 * Token counts for one generation, as the provider reported them.
 *
 * <p>"Not reported" is kept apart from zero so cost code can tell them apart:
 *
 * <table>
 *   <caption>How providers' usage fields map here</caption>
 *   <tr><th>field</th><th>OpenAI</th><th>null means</th></tr>
 *   <tr><td>promptTokens</td><td>usage.prompt_tokens (includes cached)</td><td>never null</td></tr>
 *   <tr><td>completionTokens</td><td>usage.completion_tokens (includes reasoning)</td><td>never null</td></tr>
 *   <tr><td>cachedTokens</td><td>prompt_tokens_details.cached_tokens</td><td>provider did not say</td></tr>
 *   <tr><td>cacheWriteTokens</td><td>(Anthropic cache_creation_input_tokens)</td><td>provider did not say</td></tr>
 *   <tr><td>reasoningTokens</td><td>completion_tokens_details.reasoning_tokens</td><td>provider did not say</td></tr>
 * </table>
 *
 * @param estimated true when the counts are the gateway's tokenizer estimate, not the provider's
 */
public record Usage(
    long promptTokens,
    long completionTokens,
    @Nullable Long cachedTokens,
    @Nullable Long cacheWriteTokens,
    @Nullable Long reasoningTokens,
    boolean estimated) {

  public static final Usage ZERO = new Usage(0, 0, null, null, null, false);

  public Usage {
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must not be negative: prompt=" + promptTokens + " completion=" + completionTokens);
    }
  }

  public static Usage of(long promptTokens, long completionTokens) {
    return new Usage(promptTokens, completionTokens, null, null, null, false);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
