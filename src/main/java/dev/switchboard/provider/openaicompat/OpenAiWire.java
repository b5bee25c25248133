package dev.switchboard.provider.openaicompat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile.Quirk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Pieces of the OpenAI wire format shared by the encoder and both decoders: the JSON mapper,
 * finish-reason and usage mapping, and verbatim capture of sub-values.
 */
final class OpenAiWire {
  /** Immutable once built, so one instance serves every thread. */
  static final ObjectMapper JSON = JsonMapper.builder().build();

  private OpenAiWire() {}

  /**
   * Maps a provider's {@code finish_reason}. OpenAI's five values map one to one; {@code
   * function_call} is the deprecated name of {@code tool_calls}; the rest are what compatible
   * servers send in practice (vLLM's and TGI's {@code eos}, Mistral's {@code model_length},
   * Anthropic-backed routers' {@code end_turn}/{@code max_tokens}/{@code tool_use}). Anything
   * unknown is a normal stop, with the native value kept by the caller.
   */
  static FinishReason finishReason(String reason) {
    return switch (reason) {
      case "stop", "eos", "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "length", "max_tokens", "model_length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call", "tool_use" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      case "error" -> FinishReason.ERROR;
      default -> FinishReason.STOP;
    };
  }

  /**
   * Reads OpenAI's {@code usage} object; null for a missing or JSON-null value. Sub-counts stay
   * null when the provider did not report them, so cost code can tell "not said" from zero.
   */
  static @Nullable Usage usage(@Nullable JsonNode node, OpenAiCompatProfile profile) {
    if (node == null || !node.isObject()) {
      return null;
    }
    Long cached = longOrNull(node.path("prompt_tokens_details").get("cached_tokens"));
    if (cached == null && profile.has(Quirk.CACHE_HIT_TOKENS)) {
      cached = longOrNull(node.get("prompt_cache_hit_tokens"));
    }
    return new Usage(
        Math.max(0, node.path("prompt_tokens").asLong(0)),
        Math.max(0, node.path("completion_tokens").asLong(0)),
        cached,
        longOrNull(node.path("prompt_tokens_details").get("cache_write_tokens")),
        longOrNull(node.path("completion_tokens_details").get("reasoning_tokens")),
        false);
  }

  private static @Nullable Long longOrNull(@Nullable JsonNode node) {
    return node != null && node.isNumber() ? node.asLong() : null;
  }

  /**
   * The current object or array of {@code parser} (positioned on its start token) as the exact text it had
   * in {@code source}, then leaves the parser on the value's last token. Keeping the upstream's
   * own text avoids a parse-and-reserialise round trip that would reformat numbers.
   */
  static RawJson rawValue(JsonParser parser, String source) throws IOException {
    long start = parser.currentTokenLocation().getCharOffset();
    if (start < 0) {
      // Not parsed from text (no character offsets): fall back to a faithful re-serialisation.
      return RawJson.of(JSON.writeValueAsString(parser.readValueAsTree()));
    }
    parser.skipChildren();
    long end = parser.currentLocation().getCharOffset();
    return RawJson.of(source.substring((int) start, (int) end));
  }

  /** {@link #rawValue(JsonParser, String)} for a parser reading {@code source}'s UTF-8 bytes from offset 0. */
  static RawJson rawValue(JsonParser parser, byte[] source) throws IOException {
    long start = parser.currentTokenLocation().getByteOffset();
    if (start < 0) {
      return RawJson.of(JSON.writeValueAsString(parser.readValueAsTree()));
    }
    parser.skipChildren();
    long end = parser.currentLocation().getByteOffset();
    return RawJson.of(new String(source, (int) start, (int) (end - start), StandardCharsets.UTF_8));
  }

  /** Reads a string or null value; anything else is a protocol error. */
  static @Nullable String textOrNull(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    if (token.isScalarValue()) {
      return parser.getText();
    }
    throw malformed("expected a string at " + parser.currentName() + ", got " + token);
  }

  static UpstreamException malformed(String message) {
    return new UpstreamException(UpstreamError.of(UpstreamError.Kind.MALFORMED, 200, message));
  }
}
