package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UsageCounts;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Pieces of the Anthropic Messages wire format shared by the encoder and both decoders: the JSON
 * mapper, stop-reason and usage mapping, and small text helpers.
 */
final class AnthropicWire {
  /** Immutable once built, so one instance serves every thread. */
  static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Anthropic's {@code tool_use.id} and {@code tool_result.tool_use_id} pattern. */
  private static final Pattern TOOL_ID_CHAR = Pattern.compile("[^a-zA-Z0-9_-]");

  private AnthropicWire() {}

  /**
   * Maps Anthropic's {@code stop_reason}
   * (https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons). {@code
   * pause_turn} means a server-tool loop paused with a usable partial answer, so it is a normal
   * stop; {@code refusal} is the safety classifier; {@code model_context_window_exceeded} is a
   * length stop. Anything unknown is a normal stop, with the native value kept by the caller.
   */
  static FinishReason finishReason(String reason) {
    return switch (reason) {
      case "end_turn", "stop_sequence", "pause_turn" -> FinishReason.STOP;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP;
    };
  }

  /**
   * The finish reason of a turn whose tool calls may have included the JSON-answer tool: when that
   * was the only tool called, the model answered rather than asked for a tool, so {@code tool_use}
   * is a plain stop.
   */
  static FinishReason finishReason(String reason, boolean answered, boolean calledTools) {
    if (reason.equals("tool_use") && answered && !calledTools) {
      return FinishReason.STOP;
    }
    return finishReason(reason);
  }

  /**
   * Reads Anthropic's {@code usage} object; null when missing. Anthropic's {@code input_tokens}
   * excludes cached tokens, while the canonical (OpenAI) prompt count includes them, so the prompt
   * is {@code input + cache_read + cache_creation}. Cache counts stay null when not reported.
   */
  static @Nullable Usage usage(@Nullable JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return UsageCounts.withCacheOutsideInput(
        UsageCounts.orZero(UsageCounts.count(node.get("input_tokens"))),
        UsageCounts.count(node.get("cache_read_input_tokens")),
        UsageCounts.count(node.get("cache_creation_input_tokens")),
        UsageCounts.orZero(UsageCounts.count(node.get("output_tokens"))));
  }

  /**
   * A tool-call id Anthropic accepts. Ids minted by other providers may hold characters outside
   * {@code [a-zA-Z0-9_-]} (Kimi's {@code functions.get_weather:0}); replacing them the same way
   * in {@code tool_use.id} and {@code tool_result.tool_use_id} keeps each pair matched.
   */
  static String toolId(String id) {
    if (id.isEmpty()) {
      return "toolu_empty";
    }
    return TOOL_ID_CHAR.matcher(id).replaceAll("_");
  }

  /**
   * A {@code data:} URL split into its parts (RFC 2397); null when {@code url} is not one.
   *
   * @param mediaType lower-case, without parameters; {@code text/plain} when the URL names none
   */
  static @Nullable DataUrl dataUrl(String url) {
    if (!url.regionMatches(true, 0, "data:", 0, 5)) {
      return null;
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      return null;
    }
    String meta = url.substring(5, comma);
    boolean base64 = meta.regionMatches(true, Math.max(0, meta.length() - 7), ";base64", 0, 7);
    int semicolon = meta.indexOf(';');
    String mediaType = (semicolon < 0 ? meta : meta.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    return new DataUrl(mediaType.isEmpty() ? "text/plain" : mediaType, base64, url.substring(comma + 1));
  }

  /** The parts of a {@code data:} URL. */
  record DataUrl(String mediaType, boolean base64, String data) {}

  static UpstreamException malformed(String message) {
    return new UpstreamException(UpstreamError.of(UpstreamError.Kind.MALFORMED, 200, message));
  }
}
