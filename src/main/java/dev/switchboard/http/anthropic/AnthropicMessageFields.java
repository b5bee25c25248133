package dev.switchboard.http.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import java.io.IOException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Fields a message and its stream both write: {@code stop_reason} and {@code usage}. */
final class AnthropicMessageFields {
  /** Anthropic's own stop reasons, passed through when an Anthropic upstream gave one. */
  private static final Set<String> NATIVE = Set.of(
      "end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal",
      "model_context_window_exceeded");

  private AnthropicMessageFields() {}

  /**
   * Anthropic's {@code stop_reason} for a finished answer. The upstream's own value is kept when it
   * is Anthropic's and agrees with the canonical reason (an Anthropic upstream's {@code
   * stop_sequence} or {@code pause_turn}; not the {@code tool_use} of a JSON answer the adapter
   * turned into text). Clients run their tool loop on {@code tool_use}, so an answer with tool
   * calls says {@code tool_use} whatever the upstream said (some report {@code stop}), and one
   * without never does.
   */
  static String stopReason(@Nullable FinishReason reason, @Nullable String nativeReason, boolean toolCalls) {
    if (toolCalls) {
      return "tool_use";
    }
    String mapped = switch (reason) {
      case LENGTH -> "max_tokens";
      case CONTENT_FILTER -> "refusal";
      case null, default -> "end_turn";
    };
    if (nativeReason != null && NATIVE.contains(nativeReason) && !nativeReason.equals("tool_use")
        && same(nativeReason, mapped)) {
      return nativeReason;
    }
    return mapped;
  }

  /** Whether an Anthropic stop reason means what {@code mapped} means. */
  private static boolean same(String nativeReason, String mapped) {
    return switch (nativeReason) {
      case "end_turn", "stop_sequence", "pause_turn" -> mapped.equals("end_turn");
      case "max_tokens", "model_context_window_exceeded" -> mapped.equals("max_tokens");
      default -> nativeReason.equals(mapped);
    };
  }

  /**
   * Writes {@code "usage":{…}}. Anthropic's {@code input_tokens} excludes the cached and
   * cache-written tokens, which the canonical prompt count (OpenAI's convention) includes; the
   * cache counts are 0 when the upstream did not report them.
   */
  static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
    long cacheRead = usage.cachedTokens() == null ? 0 : usage.cachedTokens();
    long cacheWrite = usage.cacheWriteTokens() == null ? 0 : usage.cacheWriteTokens();
    g.writeObjectFieldStart("usage");
    g.writeNumberField("input_tokens", Math.max(0, usage.promptTokens() - cacheRead - cacheWrite));
    g.writeNumberField("cache_creation_input_tokens", cacheWrite);
    g.writeNumberField("cache_read_input_tokens", cacheRead);
    g.writeNumberField("output_tokens", usage.completionTokens());
    g.writeEndObject();
  }
}
