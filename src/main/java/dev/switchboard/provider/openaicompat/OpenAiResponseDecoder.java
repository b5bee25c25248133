package dev.switchboard.provider.openaicompat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.JsonBodies;
import dev.switchboard.provider.UpstreamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI {@code chat.completion} JSON to a canonical {@link ChatResponse}.
 *
 * <p>Reads with Jackson's streaming parser over the body's bytes, so verbatim values ({@code
 * logprobs}, unknown content parts) are cut from the upstream's own text rather than
 * re-serialised. Tolerates what compatible servers do differently: reasoning as {@code
 * reasoning} (OpenRouter, Groq) or {@code reasoning_content} (DeepSeek, vLLM); content as an
 * array of parts; OpenRouter's {@code native_finish_reason}; a tool call without an id.
 *
 * <p>A refusal has no canonical field, so it becomes a {@link ContentPart.Unknown} of type {@code
 * refusal} holding OpenAI's own refusal part ({@code {"type":"refusal","refusal":"..."}}), which
 * an OpenAI-dialect writer can emit as it is.
 */
final class OpenAiResponseDecoder {
  private final OpenAiCompatProfile profile;

  OpenAiResponseDecoder(OpenAiCompatProfile profile) {
    this.profile = profile;
  }

  /**
   * @throws UpstreamException of kind {@code MALFORMED} when the body is not a chat completion,
   *     or of the classified kind when it is an error envelope sent with a 2xx status
   */
  ChatResponse decode(byte[] body) {
    try {
      return JsonBodies.readObject(OpenAiWire.JSON, body, json -> read(json, Source.of(body)));
    } catch (UpstreamException e) {
      if (e.error().kind() != UpstreamError.Kind.MALFORMED) {
        throw e;
      }
      // Not UTF-8 is not malformed JSON: as text (replacement characters for the bad bytes) the body
      // may still be a completion, as it was when every body was decoded to text first.
      String text = new String(body, StandardCharsets.UTF_8);
      return JsonBodies.readObject(OpenAiWire.JSON, text, json -> read(json, Source.of(text)));
    }
  }

  /** {@link #decode(byte[])} for a body in text. */
  ChatResponse decode(String body) {
    return decode(body.getBytes(StandardCharsets.UTF_8));
  }

  private ChatResponse read(JsonParser json, Source body) throws IOException {
    String id = null;
    String model = null;
    String fingerprint = null;
    List<Choice> choices = null;
    Usage usage = null;
    JsonNode error = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      switch (field) {
        case "id" -> id = OpenAiWire.textOrNull(json);
        case "model" -> model = OpenAiWire.textOrNull(json);
        case "system_fingerprint" -> fingerprint = OpenAiWire.textOrNull(json);
        case "choices" -> choices = choices(json, body);
        case "usage" -> usage = OpenAiWire.usage(json.readValueAsTree(), profile);
        case "error" -> error = json.readValueAsTree();
        default -> json.skipChildren();
      }
    }
    if (error != null && error.isObject() && (choices == null || choices.isEmpty())) {
      // Some servers report failures with HTTP 200 and an error envelope.
      throw new UpstreamException(OpenAiErrors.fromBodyError(error, body.text()));
    }
    if (choices == null) {
      throw OpenAiWire.malformed("upstream response has no 'choices'");
    }
    return new ChatResponse(id, model, choices, usage, fingerprint);
  }

  private List<Choice> choices(JsonParser json, Source body) throws IOException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw OpenAiWire.malformed("'choices' is not an array");
    }
    var choices = new ArrayList<Choice>();
    while (json.nextToken() != JsonToken.END_ARRAY) {
      choices.add(choice(json, body, choices.size()));
    }
    return choices;
  }

  private Choice choice(JsonParser json, Source body, int position) throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw OpenAiWire.malformed("a choice is not an object");
    }
    int index = position;
    Message message = null;
    String finish = null;
    String nativeFinish = null;
    RawJson logprobs = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "index" -> index = json.getValueAsInt(position);
        case "message" -> message = message(json, body);
        case "finish_reason" -> finish = OpenAiWire.textOrNull(json);
        case "native_finish_reason" -> nativeFinish = OpenAiWire.textOrNull(json);
        case "logprobs" ->
            logprobs = value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY
                ? body.rawValue(json)
                : null;
        default -> json.skipChildren();
      }
    }
    if (message == null) {
      throw OpenAiWire.malformed("choice " + index + " has no 'message'");
    }
    FinishReason reason = finish == null ? null : OpenAiWire.finishReason(finish);
    String nativeReason = nativeFinish != null ? nativeFinish : finish;
    return new Choice(index, message, reason, nativeReason, logprobs);
  }

  private static Message message(JsonParser json, Source body) throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw OpenAiWire.malformed("'message' is not an object");
    }
    var content = new ArrayList<ContentPart>();
    String refusal = null;
    String reasoning = null;
    var toolCalls = new ArrayList<ToolCall>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "content" -> {
          if (value == JsonToken.START_ARRAY) {
            contentParts(json, body, content);
          } else {
            String text = OpenAiWire.textOrNull(json);
            if (text != null) {
              content.add(new ContentPart.Text(text));
            }
          }
        }
        case "refusal" -> refusal = OpenAiWire.textOrNull(json);
        // DeepSeek and vLLM say reasoning_content, OpenRouter and Groq say reasoning; take either.
        case "reasoning", "reasoning_content" -> {
          String text = value == JsonToken.VALUE_STRING ? json.getText() : null;
          json.skipChildren();
          if (text != null && reasoning == null) {
            reasoning = text;
          }
        }
        case "tool_calls" -> toolCalls(json, toolCalls);
        default -> json.skipChildren();
      }
    }
    if (refusal != null) {
      content.add(refusalPart(refusal));
    }
    return new Message(Role.ASSISTANT, content, null, toolCalls, null, reasoning);
  }

  private static void contentParts(JsonParser json, Source body, List<ContentPart> into) throws IOException {
    while (json.nextToken() != JsonToken.END_ARRAY) {
      if (json.currentToken() != JsonToken.START_OBJECT) {
        json.skipChildren();
        continue;
      }
      RawJson raw = body.rawValue(json);
      JsonNode part = OpenAiWire.JSON.readTree(raw.json());
      String type = part.path("type").asText("");
      if (type.equals("text") && part.path("text").isTextual()) {
        into.add(new ContentPart.Text(part.get("text").asText()));
      } else {
        into.add(new ContentPart.Unknown(type, raw));
      }
    }
  }

  private static void toolCalls(JsonParser json, List<ToolCall> into) throws IOException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      json.skipChildren();
      return;
    }
    while (json.nextToken() != JsonToken.END_ARRAY) {
      JsonNode call = json.readValueAsTree();
      JsonNode function = call.path("function");
      String name = function.path("name").asText("");
      JsonNode arguments = function.get("arguments");
      String args =
          arguments == null || arguments.isNull()
              ? ""
              : arguments.isTextual() ? arguments.asText() : arguments.toString();
      // Some compatible servers omit the id; later turns must reference the call, so invent a
      // stable one from its position.
      String id = call.path("id").asText("");
      into.add(new ToolCall(id.isEmpty() ? "call_" + into.size() : id, name, args));
    }
  }

  static ContentPart refusalPart(String refusal) {
    var node = OpenAiWire.JSON.createObjectNode().put("type", "refusal").put("refusal", refusal);
    return new ContentPart.Unknown("refusal", RawJson.of(node.toString()));
  }
}
