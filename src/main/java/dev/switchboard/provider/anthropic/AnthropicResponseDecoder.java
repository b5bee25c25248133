package dev.switchboard.provider.anthropic;

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
import dev.switchboard.provider.AnswerTool;
import dev.switchboard.provider.AssistantContent;
import dev.switchboard.provider.JsonBodies;
import dev.switchboard.provider.UpstreamException;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An Anthropic {@code Message} (the non-streamed answer of {@code POST /v1/messages}) to a
 * canonical {@link ChatResponse} with one choice.
 *
 * <p>Content blocks map in order: {@code text} to text parts; {@code tool_use} to tool calls whose
 * arguments are the {@code input} object's own text; {@code thinking} to {@link
 * Message#reasoning()} <em>and</em> to a {@link ContentPart.Unknown} of type {@code thinking}
 * holding the whole block with its {@code signature}, so that the block can be sent back verbatim
 * on the next turn (Anthropic rejects a tool-use continuation without it); {@code
 * redacted_thinking} and every other block type (server tools, citations results, ...) to a {@link
 * ContentPart.Unknown} holding the block. A call of the JSON-answer tool (see {@link
 * AnswerTool}) is the answer to a {@code response_format} request, so its input becomes the text
 * content.
 *
 * <p>Reads with Jackson's streaming parser over the body text and cuts verbatim values from the
 * upstream's own text, so numbers in tool arguments keep their exact spelling.
 */
final class AnthropicResponseDecoder {

  /**
   * @throws UpstreamException of kind {@code MALFORMED} when the body is not a message, or of the
   *     classified kind when it is an error envelope sent with a 2xx status
   */
  ChatResponse decode(String body) {
    return JsonBodies.readObject(AnthropicWire.JSON, body, json -> {
      String id = null;
      String model = null;
      String type = null;
      String stopReason = null;
      Usage usage = null;
      JsonNode error = null;
      AssistantContent blocks = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        switch (field) {
          case "id" -> id = text(json);
          case "model" -> model = text(json);
          case "type" -> type = text(json);
          case "stop_reason" -> stopReason = text(json);
          case "usage" -> usage = AnthropicWire.usage(json.readValueAsTree());
          case "error" -> error = json.readValueAsTree();
          case "content" -> {
            if (value != JsonToken.START_ARRAY) {
              throw AnthropicWire.malformed("'content' is not an array");
            }
            blocks = blocks(json, body);
          }
          default -> json.skipChildren();
        }
      }
      if ("error".equals(type) || (error != null && blocks == null)) {
        // An error envelope with a 2xx status (some proxies answer so).
        var envelope = AnthropicWire.JSON.createObjectNode();
        if (error != null) {
          envelope.set("error", error);
        }
        throw new UpstreamException(AnthropicErrors.fromBody(envelope, body));
      }
      if (blocks == null) {
        throw AnthropicWire.malformed("upstream response has no 'content'");
      }
      FinishReason reason =
          stopReason == null ? null : AnthropicWire.finishReason(stopReason, blocks.answered(), blocks.calledTools());
      var choice = new Choice(0, blocks.message(), reason, stopReason, null);
      return new ChatResponse(id, model, List.of(choice), usage, null);
    });
  }

  private static AssistantContent blocks(JsonParser json, String body) throws IOException {
    var blocks = AssistantContent.create("toolu_");
    while (json.nextToken() != JsonToken.END_ARRAY) {
      if (json.currentToken() != JsonToken.START_OBJECT) {
        json.skipChildren();
        continue;
      }
      block(json, body, blocks);
    }
    return blocks;
  }

  /** Reads one content block, the parser on its START_OBJECT, and files it under {@code into}. */
  private static void block(JsonParser json, String body, AssistantContent into) throws IOException {
    long start = json.currentTokenLocation().getCharOffset();
    String type = "";
    String text = null;
    String thinking = null;
    String id = null;
    String name = null;
    String input = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "type" -> type = value == JsonToken.VALUE_STRING ? json.getText() : "";
        case "text" -> text = text(json);
        case "thinking" -> thinking = text(json);
        case "id" -> id = text(json);
        case "name" -> name = text(json);
        case "input" -> input = value == JsonToken.START_OBJECT ? raw(json, body) : skip(json);
        default -> json.skipChildren();
      }
    }
    long end = json.currentLocation().getCharOffset();
    RawJson raw = RawJson.of(body.substring((int) start, (int) end));
    switch (type) {
      case "text" -> into.text(text);
      case "tool_use" -> into.toolCall(id, name, input);
      case "thinking" -> {
        if (thinking != null) {
          into.reasoning(thinking);
        }
        into.part(new ContentPart.Unknown(type, raw));
      }
      default -> into.part(new ContentPart.Unknown(type.isEmpty() ? "unknown" : type, raw));
    }
  }

  /** The current object (parser on its START_OBJECT) as the exact text it had in {@code body}. */
  private static String raw(JsonParser json, String body) throws IOException {
    long start = json.currentTokenLocation().getCharOffset();
    json.skipChildren();
    long end = json.currentLocation().getCharOffset();
    return body.substring((int) start, (int) end);
  }

  private static @Nullable String skip(JsonParser json) throws IOException {
    json.skipChildren();
    return null;
  }

  private static @Nullable String text(JsonParser json) throws IOException {
    JsonToken token = json.currentToken();
    if (token == JsonToken.VALUE_STRING) {
      return json.getText();
    }
    json.skipChildren();
    return null;
  }
}
