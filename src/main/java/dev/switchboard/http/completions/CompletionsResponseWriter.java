package dev.switchboard.http.completions;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.http.openai.UsageJson;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes a complete {@code text_completion}: the first choice's text as the one completion choice,
 * with OpenRouter's {@code provider} and usage {@code cost}. {@code logprobs} is written as null:
 * the legacy schema requires the field and the gateway does not produce legacy log-probabilities.
 */
final class CompletionsResponseWriter {
  private CompletionsResponseWriter() {}

  static void write(JsonGenerator g, ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost)
      throws IOException {
    g.writeStartObject();
    writeHeader(g, stamp);
    g.writeArrayFieldStart("choices");
    Choice choice = response.choices().isEmpty() ? null : response.first();
    g.writeStartObject();
    g.writeStringField("text", choice == null ? "" : choice.message().textContent());
    g.writeNumberField("index", 0);
    g.writeStringField("finish_reason",
        choice == null || choice.finishReason() == null ? "stop" : choice.finishReason().wireName());
    if (choice != null && choice.nativeFinishReason() != null) {
      g.writeStringField("native_finish_reason", choice.nativeFinishReason());
    }
    g.writeNullField("logprobs");
    g.writeEndObject();
    g.writeEndArray();
    UsageJson.write(g, usage, cost);
    g.writeEndObject();
  }

  /** The fields every completion object and chunk starts with. */
  static void writeHeader(JsonGenerator g, Stamp stamp) throws IOException {
    g.writeStringField("id", stamp.id());
    g.writeStringField("provider", stamp.provider());
    g.writeStringField("model", stamp.model());
    g.writeStringField("object", "text_completion");
    g.writeNumberField("created", stamp.created());
    if (stamp.systemFingerprint() != null) {
      g.writeStringField("system_fingerprint", stamp.systemFingerprint());
    }
  }
}
