package dev.switchboard.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.AssistantContent;
import dev.switchboard.provider.JsonBodies;
import dev.switchboard.provider.UpstreamErrors;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UsageCounts;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Converse response ({@code {"output": {"message": ...}, "stopReason", "usage", "metrics"}}) to a
 * canonical {@link ChatResponse} with one choice. Bedrock names no model and no response id in the
 * body, so the id is the {@code x-amzn-RequestId} header and the model is left unset.
 *
 * <p>Content blocks map in order: {@code text} to text parts; {@code toolUse} to tool calls whose
 * arguments are the {@code input} value's own text (a call of the JSON-answer tool is the answer to
 * a {@code response_format} request, so its input becomes the text); {@code reasoningContent} to
 * {@link Message#reasoning()} <em>and</em> to a {@link ContentPart.Unknown} of type {@link
 * #REASONING_BLOCK} holding the whole block with its {@code signature}, which the encoder sends
 * back verbatim, since Claude rejects a tool-use continuation whose thinking lacks it; {@code
 * citationsContent} to its text; anything else to an {@link ContentPart.Unknown} holding the block.
 *
 * <p>Reads with Jackson's streaming parser over the body text and cuts verbatim values from it,
 * so numbers in tool arguments keep their exact spelling.
 */
final class BedrockResponseDecoder {
  /** The {@link ContentPart.Unknown} type of a reasoning block kept for the next turn. */
  static final String REASONING_BLOCK = "reasoningContent";

  private BedrockResponseDecoder() {}

  /**
   * @param requestId the {@code x-amzn-RequestId} response header, when present
   * @throws UpstreamException of kind {@code MALFORMED} when the body is not a Converse response
   *     (Bedrock has been seen answering 200 without {@code output})
   */
  static ChatResponse decode(String body, @Nullable String requestId) {
    return JsonBodies.readObject(BedrockAdapter.JSON, body, json -> {
      AssistantContent blocks = null;
      String stopReason = null;
      Usage usage = null;
      String message = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        switch (field) {
          case "output" -> blocks = value == JsonToken.START_OBJECT ? output(json, body) : skip(json);
          case "stopReason" -> stopReason = value == JsonToken.VALUE_STRING ? json.getText() : null;
          case "usage" -> usage = value == JsonToken.START_OBJECT ? usage(json.readValueAsTree()) : skip(json);
          case "message", "Message" -> message = value == JsonToken.VALUE_STRING ? json.getText() : null;
          default -> json.skipChildren();
        }
      }
      if (blocks == null) {
        throw BedrockErrors.malformed("upstream response has no 'output.message'"
            + (message == null ? "" : ": " + UpstreamErrors.truncate(message, 200)));
      }
      FinishReason reason = stopReason == null ? null : finishReason(stopReason, blocks.answered());
      var choice = new Choice(0, blocks.message(), reason, stopReason, null);
      return new ChatResponse(requestId, null, List.of(choice), usage, null);
    });
  }

  /**
   * Maps Converse's {@code stopReason}
   * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_MessageStopEvent.html).
   * {@code tool_use} is a plain stop when the only call was the JSON-answer tool, since that call
   * is the answer; {@code model_context_window_exceeded} ran out of room like {@code max_tokens};
   * a guardrail or content filter is {@code content_filter}; malformed output is an error.
   * Anything new is a normal stop, with the native value kept by the caller.
   */
  static FinishReason finishReason(String stopReason, boolean answeredWithTool) {
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "tool_use" -> answeredWithTool ? FinishReason.STOP : FinishReason.TOOL_CALLS;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
      case "malformed_model_output", "malformed_tool_use" -> FinishReason.ERROR;
      default -> FinishReason.STOP;
    };
  }

  /**
   * Converse's {@code TokenUsage}. Its {@code inputTokens} leaves out the tokens read from or
   * written to the prompt cache (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html:
   * {@code totalTokens} = input + output + cache read + cache write), while the canonical prompt
   * count includes them, as OpenAI's does; so the prompt is the sum, and the cache counts are
   * kept apart, null when Bedrock did not report them.
   */
  static @Nullable Usage usage(@Nullable JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return UsageCounts.withCacheOutsideInput(
        Math.max(0, node.path("inputTokens").asLong(0)),
        UsageCounts.count(node.get("cacheReadInputTokens")),
        UsageCounts.count(node.get("cacheWriteInputTokens")),
        node.path("outputTokens").asLong(0));
  }

  /** The decoded content of {@code output.message}; null when there is none. */
  private static @Nullable AssistantContent output(JsonParser json, String body) throws IOException {
    AssistantContent blocks = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      if (!field.equals("message") || value != JsonToken.START_OBJECT) {
        json.skipChildren();
        continue;
      }
      blocks = AssistantContent.create("tooluse_");
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String messageField = json.currentName();
        if (json.nextToken() == JsonToken.START_ARRAY && messageField.equals("content")) {
          while (json.nextToken() == JsonToken.START_OBJECT) {
            block(json, body, blocks);
          }
        } else {
          json.skipChildren();
        }
      }
    }
    return blocks;
  }

  /** One content block, {@code {"<type>": {...}}}; the parser ends on its closing brace. */
  private static void block(JsonParser json, String body, AssistantContent into) throws IOException {
    long start = json.currentTokenLocation().getCharOffset();
    String kept = null; // the type of a block kept whole, as an Unknown part
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String type = json.currentName();
      JsonToken value = json.nextToken();
      switch (type) {
        case "text" -> {
          if (value == JsonToken.VALUE_STRING) {
            into.text(json.getText());
          }
        }
        case "toolUse" -> toolUse(json, body, into);
        case "reasoningContent" -> {
          JsonNode text = json.<JsonNode>readValueAsTree().path("reasoningText").get("text");
          if (text != null && text.isTextual()) {
            into.reasoning(text.asText());
          }
          kept = REASONING_BLOCK;
        }
        case "citationsContent" -> {
          for (JsonNode piece : json.<JsonNode>readValueAsTree().path("content")) {
            if (piece.path("text").isTextual()) {
              into.text(piece.get("text").asText());
            }
          }
        }
        default -> {
          json.skipChildren();
          kept = type;
        }
      }
    }
    if (kept != null) {
      // The block as Bedrock sent it, so a reasoning block goes back with its signature intact.
      long end = json.currentLocation().getCharOffset();
      into.part(new ContentPart.Unknown(kept, RawJson.of(body.substring((int) start, (int) end))));
    }
  }

  private static void toolUse(JsonParser json, String body, AssistantContent into) throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      json.skipChildren();
      return;
    }
    String id = null;
    String name = null;
    String input = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "toolUseId" -> id = value == JsonToken.VALUE_STRING ? json.getText() : null;
        case "name" -> name = value == JsonToken.VALUE_STRING ? json.getText() : null;
        case "input" -> {
          long start = json.currentTokenLocation().getCharOffset();
          json.skipChildren();
          input = body.substring((int) start, (int) json.currentLocation().getCharOffset());
        }
        default -> json.skipChildren();
      }
    }
    into.toolCall(id, name, input);
  }

  private static <T> @Nullable T skip(JsonParser json) throws IOException {
    json.skipChildren();
    return null;
  }
}
