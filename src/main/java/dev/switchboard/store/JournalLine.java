package dev.switchboard.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One {@link InFlight} as a line of {@link JournalFiles}: a JSON object with the columns of the
 * {@code in_flight} table (but the node, which the file's name says) and a newline. JSON so that a
 * person can read a journal left by a crash, and so that any model or provider name round-trips.
 */
final class JournalLine {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper READER = new ObjectMapper(JSON);

  private JournalLine() {}

  static byte[] encode(InFlight row) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("generation_id", row.generationId());
      g.writeStringField("key_hash", row.keyHash());
      g.writeStringField("account_id", row.accountId());
      g.writeStringField("model", row.model());
      writeNullable(g, "provider", row.provider());
      writeNullable(g, "provider_model", row.providerModel());
      g.writeBooleanField("streamed", row.streamed());
      g.writeNumberField("prompt_tokens", row.promptTokens());
      g.writeNumberField("completion_tokens", row.completionTokens());
      g.writeNumberField("reserved_nanos", row.reservedNanos());
      g.writeNumberField("started_at", row.startedAt().toEpochMilli());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayBuilder does no I/O
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void writeNullable(JsonGenerator g, String field, @Nullable String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  /**
   * @throws IllegalArgumentException if {@code line} is not a journal line
   */
  static InFlight decode(String line, String nodeId) {
    JsonNode node;
    try {
      node = READER.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return new InFlight(text(node, "generation_id"), nodeId, text(node, "key_hash"),
        text(node, "account_id"), text(node, "model"), nullableText(node, "provider"),
        nullableText(node, "provider_model"), node.path("streamed").asBoolean(),
        number(node, "prompt_tokens"), number(node, "completion_tokens"), number(node, "reserved_nanos"),
        Instant.ofEpochMilli(number(node, "started_at")));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("no " + field);
    }
    return value.asText();
  }

  private static @Nullable String nullableText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new IllegalArgumentException("no " + field);
    }
    return value.asLong();
  }
}
