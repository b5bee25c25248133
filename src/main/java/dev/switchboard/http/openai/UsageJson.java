package dev.switchboard.http.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.Usage;
import java.io.IOException;
import java.math.BigDecimal;

/** Writes OpenRouter's {@code usage} object: token counts plus {@code cost} in USD. */
public final class UsageJson {
  private UsageJson() {}

  public static void write(JsonGenerator g, Usage usage, BigDecimal cost) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("prompt_tokens", usage.promptTokens());
    g.writeNumberField("completion_tokens", usage.completionTokens());
    g.writeNumberField("total_tokens", usage.totalTokens());
    g.writeFieldName("cost");
    g.writeNumber(cost.stripTrailingZeros().toPlainString());
    if (usage.cachedTokens() != null || usage.cacheWriteTokens() != null) {
      g.writeObjectFieldStart("prompt_tokens_details");
      if (usage.cachedTokens() != null) {
        g.writeNumberField("cached_tokens", usage.cachedTokens());
      }
      if (usage.cacheWriteTokens() != null) {
        g.writeNumberField("cache_write_tokens", usage.cacheWriteTokens());
      }
      g.writeEndObject();
    }
    if (usage.reasoningTokens() != null) {
      g.writeObjectFieldStart("completion_tokens_details");
      g.writeNumberField("reasoning_tokens", usage.reasoningTokens());
      g.writeEndObject();
    }
    g.writeEndObject();
  }
}
