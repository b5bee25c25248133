package dev.switchboard.http.anthropic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a complete answer as Anthropic's {@code Message}: thinking blocks, text blocks, then
 * {@code tool_use} blocks, with {@code stop_reason} and Anthropic's {@code usage}. Nothing outside
 * Anthropic's schema is written, so typed SDKs see exactly what Anthropic would send: the cost is
 * in {@code GET /api/v1/generation}, and the {@code id} is the generation id so that lookup needs
 * nothing else.
 */
final class AnthropicResponseWriter {
  private final JsonFactory json;

  AnthropicResponseWriter(JsonFactory json) {
    this.json = json;
  }

  byte[] write(ChatResponse response, Stamp stamp, Usage usage) {
    Message message = response.choices().isEmpty()
        ? new Message(Role.ASSISTANT, List.of(), null, List.of(), null, null)
        : response.first().message();
    var choice = response.choices().isEmpty() ? null : response.first();
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", stamp.id());
      g.writeStringField("type", "message");
      g.writeStringField("role", "assistant");
      g.writeStringField("model", stamp.model());
      g.writeArrayFieldStart("content");
      writeThinking(g, message);
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.Text(String text) && !text.isEmpty()) {
          g.writeStartObject();
          g.writeStringField("type", "text");
          g.writeStringField("text", text);
          g.writeEndObject();
        }
      }
      for (ToolCall call : message.toolCalls()) {
        g.writeStartObject();
        g.writeStringField("type", "tool_use");
        g.writeStringField("id", call.id());
        g.writeStringField("name", call.name());
        g.writeFieldName("input");
        g.writeRawValue(inputObject(call.arguments()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("stop_reason", AnthropicMessageFields.stopReason(
          choice == null ? null : choice.finishReason(), choice == null ? null : choice.nativeFinishReason(),
          !message.toolCalls().isEmpty()));
      g.writeNullField("stop_sequence");
      AnthropicMessageFields.writeUsage(g, usage);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The answer's thinking: an Anthropic upstream's own blocks verbatim, with their signatures (the
   * client must send them back on its next tool turn); otherwise the reasoning text of another
   * upstream as one thinking block with an empty signature, which the Anthropic adapter knows not
   * to send back to Anthropic.
   */
  private static void writeThinking(JsonGenerator g, Message message) throws IOException {
    boolean signed = false;
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Unknown(String type, RawJson raw)
          && (type.equals("thinking") || type.equals("redacted_thinking"))) {
        g.writeRawValue(raw.json());
        signed = true;
      }
    }
    if (!signed && message.reasoning() != null && !message.reasoning().isEmpty()) {
      g.writeStartObject();
      g.writeStringField("type", "thinking");
      g.writeStringField("thinking", message.reasoning());
      g.writeStringField("signature", "");
      g.writeEndObject();
    }
  }

  /**
   * Tool arguments as {@code input}, which must be an object: {@code {}} when the model gave none,
   * and also when it gave text that is not a JSON object, since Anthropic's schema has no place for
   * it and a client's tool could not take it anyway.
   */
  private String inputObject(String arguments) {
    String text = arguments.strip();
    if (text.isEmpty()) {
      return "{}";
    }
    try (JsonParser parser = json.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "{}";
      }
      parser.skipChildren();
      return parser.nextToken() == null ? text : "{}";
    } catch (JacksonException e) {
      return "{}";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
