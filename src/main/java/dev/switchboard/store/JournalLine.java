package dev.switchboard.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A line of {@link JournalFiles}: a JSON object and a newline. JSON so that a person can read a
 * journal left by a crash, and so that any model or provider name round-trips.
 *
 * <p>Two kinds: a {@link Started} line holds an {@link InFlight}, the columns of the {@code
 * in_flight} table (but the node, which the file's name says); a {@link Settled} line, marked
 * {@code "settled":true}, holds a request's whole {@link GenerationRecord}, written when it settled
 * and before its commit, so that the client can be answered before the commit and a crash between
 * the two still stores the record as it was settled.
 */
final class JournalLine {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper READER = new ObjectMapper(JSON);

  private JournalLine() {}

  /** What a line holds. */
  sealed interface Decoded {
    String generationId();
  }

  /** A request about to make its first upstream attempt. */
  record Started(InFlight row) implements Decoded {
    @Override
    public String generationId() {
      return row.generationId();
    }
  }

  /** A request settled, its record not committed yet when the line was written. */
  record Settled(GenerationRecord record) implements Decoded {
    @Override
    public String generationId() {
      return record.id();
    }
  }

  static byte[] encode(InFlight row) {
    return line(256, g -> {
      writeRequest(g, row.generationId(), row.keyHash(), row.accountId(), row.model(), row.provider(),
          row.providerModel());
      g.writeBooleanField("streamed", row.streamed());
      g.writeNumberField("prompt_tokens", row.promptTokens());
      g.writeNumberField("completion_tokens", row.completionTokens());
      g.writeNumberField("reserved_nanos", row.reservedNanos());
      g.writeNumberField("started_at", row.startedAt().toEpochMilli());
    });
  }

  static byte[] encode(GenerationRecord record) {
    return line(512, g -> {
      g.writeBooleanField("settled", true);
      writeRequest(g, record.id(), record.keyHash(), record.accountId(), record.model(), record.provider(),
          record.providerModel());
      writeNullable(g, "upstream_id", record.upstreamId());
      g.writeStringField("status", record.status().wireName());
      writeNullable(g, "finish_reason", record.finishReason() == null ? null : record.finishReason().name());
      writeNullable(g, "native_finish_reason", record.nativeFinishReason());
      g.writeBooleanField("streamed", record.streamed());
      Usage usage = record.usage();
      g.writeNumberField("prompt_tokens", usage.promptTokens());
      g.writeNumberField("completion_tokens", usage.completionTokens());
      writeNullable(g, "cached_tokens", usage.cachedTokens());
      writeNullable(g, "cache_write_tokens", usage.cacheWriteTokens());
      writeNullable(g, "reasoning_tokens", usage.reasoningTokens());
      g.writeBooleanField("usage_estimated", usage.estimated());
      g.writeNumberField("cost_nanos", record.costNanos());
      g.writeNumberField("latency_ms", record.latencyMs());
      writeNullable(g, "first_token_ms", record.firstTokenMs());
      g.writeNumberField("attempts", record.attempts());
      writeNullable(g, "error_code", record.errorCode() == null ? null : record.errorCode().longValue());
      writeNullable(g, "error_message", record.errorMessage());
      g.writeNumberField("created_at", record.createdAt().toEpochMilli());
      g.writeBooleanField("recovered", record.recovered());
      g.writeBooleanField("byok", record.byok());
    });
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  /** One JSON object with {@code fields}, and a newline. */
  private static byte[] line(int sizeHint, Fields fields) {
    ByteArrayBuilder out = new ByteArrayBuilder(sizeHint);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayBuilder does no I/O
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The fields both kinds of line start with: which request, whose, and what it asked for. */
  private static void writeRequest(JsonGenerator g, String generationId, String keyHash, String accountId,
      String model, @Nullable String provider, @Nullable String providerModel) throws IOException {
    g.writeStringField("generation_id", generationId);
    g.writeStringField("key_hash", keyHash);
    g.writeStringField("account_id", accountId);
    g.writeStringField("model", model);
    writeNullable(g, "provider", provider);
    writeNullable(g, "provider_model", providerModel);
  }

  private static void writeNullable(JsonGenerator g, String field, @Nullable String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  private static void writeNullable(JsonGenerator g, String field, @Nullable Long value) throws IOException {
    if (value != null) {
      g.writeNumberField(field, value);
    }
  }

  /**
   * @throws IllegalArgumentException if {@code line} is not a journal line
   */
  static Decoded decode(String line, String nodeId) {
    JsonNode node;
    try {
      node = READER.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return node.path("settled").asBoolean() ? new Settled(settled(node)) : new Started(started(node, nodeId));
  }

  private static GenerationRecord settled(JsonNode node) {
    String finish = nullableText(node, "finish_reason");
    Long errorCode = nullableNumber(node, "error_code");
    try {
      return new GenerationRecord(text(node, "generation_id"), text(node, "key_hash"), text(node, "account_id"),
          text(node, "model"), nullableText(node, "provider"), nullableText(node, "provider_model"),
          nullableText(node, "upstream_id"), GenerationRecord.Status.parse(text(node, "status")),
          finish == null ? null : FinishReason.valueOf(finish), nullableText(node, "native_finish_reason"),
          node.path("streamed").asBoolean(),
          new Usage(number(node, "prompt_tokens"), number(node, "completion_tokens"),
              nullableNumber(node, "cached_tokens"), nullableNumber(node, "cache_write_tokens"),
              nullableNumber(node, "reasoning_tokens"), node.path("usage_estimated").asBoolean()),
          number(node, "cost_nanos"), number(node, "latency_ms"), nullableNumber(node, "first_token_ms"),
          Math.toIntExact(number(node, "attempts")), errorCode == null ? null : Math.toIntExact(errorCode),
          nullableText(node, "error_message"), Instant.ofEpochMilli(number(node, "created_at")),
          node.path("recovered").asBoolean(), node.path("byok").asBoolean());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("a count out of range: " + e.getMessage(), e);
    }
  }

  private static InFlight started(JsonNode node, String nodeId) {
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

  private static @Nullable Long nullableNumber(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToLong()) {
      throw new IllegalArgumentException("not a number: " + field);
    }
    return value.asLong();
  }

  private static long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new IllegalArgumentException("no " + field);
    }
    return value.asLong();
  }
}
