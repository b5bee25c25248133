package dev.switchboard.http.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.RawJson;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's {@code reasoning_details} entries to and from the reasoning blocks adapters keep in
 * a message as {@link ContentPart.Unknown} parts.
 *
 * <p>Mapping (OpenRouter's {@code format} {@value #CLAUDE} is Anthropic's own block, renamed):
 *
 * <ul>
 *   <li>Anthropic {@code thinking} ({@code thinking}, {@code signature}) and Bedrock {@code
 *       reasoningContent.reasoningText} ({@code text}, {@code signature}) to {@code
 *       reasoning.text} with {@code text} and {@code signature};
 *   <li>Anthropic {@code redacted_thinking} ({@code data}) and Bedrock {@code
 *       reasoningContent.redactedContent} to {@code reasoning.encrypted} with {@code data}.
 * </ul>
 *
 * <p>Read back, a detail becomes the Anthropic-native block, the form the Anthropic and Bedrock
 * adapters both send back first in an assistant turn; adapters of other families already skip it.
 * Details that cannot be sent back (a {@code reasoning.text} without a signature, a {@code
 * reasoning.summary}, another family's {@code format}) are dropped: Claude rejects a thinking
 * block without a valid signature, and its reasoning text still travels as {@code reasoning}.
 */
final class ReasoningDetailsJson {
  static final String CLAUDE = "anthropic-claude-v1";
  /** Thread-safe once configured, and never reconfigured. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReasoningDetailsJson() {}

  /** The detail for {@code part}, at position {@code index}; null when it is no reasoning block. */
  static @Nullable ObjectNode detail(ContentPart part, int index) {
    if (!(part instanceof ContentPart.Unknown unknown)) {
      return null;
    }
    String type = unknown.type();
    RawJson raw = unknown.raw();
    JsonNode block = switch (type) {
      case "thinking", "redacted_thinking", "reasoningContent" -> tree(raw);
      default -> null;
    };
    if (block == null) {
      return null;
    }
    ObjectNode detail = JSON.createObjectNode();
    JsonNode bedrock = block.path("reasoningContent");
    if (type.equals("thinking") || bedrock.has("reasoningText")) {
      JsonNode source = type.equals("thinking") ? block : bedrock.path("reasoningText");
      detail.put("type", "reasoning.text")
          .put("text", source.path(type.equals("thinking") ? "thinking" : "text").asText(""));
      if (source.path("signature").isTextual()) {
        detail.put("signature", source.get("signature").asText());
      }
    } else if (type.equals("redacted_thinking") || bedrock.path("redactedContent").isTextual()) {
      JsonNode data = type.equals("redacted_thinking") ? block.path("data") : bedrock.path("redactedContent");
      if (!data.isTextual()) {
        return null;
      }
      detail.put("type", "reasoning.encrypted").put("data", data.asText());
    } else {
      return null;
    }
    return detail.put("format", CLAUDE).put("index", index);
  }

  /** The block to keep for {@code detail}; null when it cannot be sent back (see the class doc). */
  static ContentPart.@Nullable Unknown part(JsonNode detail) {
    if (!detail.isObject()) {
      return null;
    }
    JsonNode format = detail.get("format");
    if (format != null && !format.isNull() && !CLAUDE.equals(format.asText())) {
      return null;
    }
    switch (detail.path("type").asText("")) {
      case "reasoning.text" -> {
        JsonNode signature = detail.get("signature");
        if (signature == null || !signature.isTextual() || signature.asText().isEmpty()) {
          return null;
        }
        ObjectNode block = JSON.createObjectNode()
            .put("type", "thinking")
            .put("thinking", detail.path("text").asText(""))
            .put("signature", signature.asText());
        return new ContentPart.Unknown("thinking", RawJson.of(block.toString()));
      }
      case "reasoning.encrypted" -> {
        JsonNode data = detail.get("data");
        if (data == null || !data.isTextual() || data.asText().isEmpty()) {
          return null;
        }
        ObjectNode block = JSON.createObjectNode().put("type", "redacted_thinking").put("data", data.asText());
        return new ContentPart.Unknown("redacted_thinking", RawJson.of(block.toString()));
      }
      default -> {
        return null;
      }
    }
  }

  private static @Nullable JsonNode tree(RawJson raw) {
    try {
      JsonNode node = JSON.readTree(raw.json());
      return node != null && node.isObject() ? node : null;
    } catch (JacksonException notJson) {
      return null;
    }
  }
}
