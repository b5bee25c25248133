package dev.switchboard.http.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * Writes a complete {@code chat.completion} in OpenRouter's shape. Optional fields that are
 * absent are omitted, never written as {@code null}; {@code system_fingerprint} is the exception,
 * because OpenRouter's schema requires it (nullable) and its SDK rejects a response without it.
 */
public final class OpenAiResponseWriter {
  private final JsonFactory json;

  public OpenAiResponseWriter(JsonFactory json) {
    this.json = json;
  }

  public byte[] write(ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", stamp.id());
      g.writeStringField("provider", stamp.provider());
      g.writeStringField("model", stamp.model());
      g.writeStringField("object", "chat.completion");
      g.writeNumberField("created", stamp.created());
      if (response.systemFingerprint() != null) {
        g.writeStringField("system_fingerprint", response.systemFingerprint());
      } else {
        g.writeNullField("system_fingerprint");
      }
      g.writeArrayFieldStart("choices");
      for (Choice choice : response.choices()) {
        writeChoice(g, choice);
      }
      g.writeEndArray();
      UsageJson.write(g, usage, cost);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * OpenRouter's {@code reasoning_details}: the signed reasoning blocks the client must send back
   * for a tool loop with thinking to continue (see {@link ReasoningDetailsJson}); omitted when there
   * are none.
   */
  private static void writeReasoningDetails(JsonGenerator g, Message message) throws IOException {
    int index = 0;
    for (ContentPart part : message.content()) {
      ObjectNode detail = ReasoningDetailsJson.detail(part, index);
      if (detail == null) {
        continue;
      }
      if (index++ == 0) {
        g.writeArrayFieldStart("reasoning_details");
      }
      g.writeRawValue(detail.toString());
    }
    if (index > 0) {
      g.writeEndArray();
    }
  }

  private static void writeChoice(JsonGenerator g, Choice choice) throws IOException {
    g.writeStartObject();
    g.writeNumberField("index", choice.index());
    Message message = choice.message();
    g.writeObjectFieldStart("message");
    g.writeStringField("role", "assistant");
    if (message.content().isEmpty() && !message.toolCalls().isEmpty()) {
      // OpenAI sends content: null beside tool calls, and SDKs model it as nullable there.
      g.writeNullField("content");
    } else {
      g.writeStringField("content", message.textContent());
    }
    if (message.reasoning() != null) {
      g.writeStringField("reasoning", message.reasoning());
    }
    writeReasoningDetails(g, message);
    if (!message.toolCalls().isEmpty()) {
      g.writeArrayFieldStart("tool_calls");
      for (ToolCall call : message.toolCalls()) {
        g.writeStartObject();
        g.writeStringField("id", call.id());
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", call.name());
        g.writeStringField("arguments", call.arguments());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
    if (choice.logprobs() != null) {
      g.writeFieldName("logprobs");
      g.writeRawValue(choice.logprobs().json());
    }
    g.writeStringField("finish_reason",
        choice.finishReason() == null ? "stop" : choice.finishReason().wireName());
    if (choice.nativeFinishReason() != null) {
      g.writeStringField("native_finish_reason", choice.nativeFinishReason());
    }
    g.writeEndObject();
  }
}
