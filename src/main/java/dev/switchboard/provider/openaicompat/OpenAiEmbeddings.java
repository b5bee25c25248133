package dev.switchboard.provider.openaicompat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.EmbeddingVector;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's {@code POST /embeddings}: canonical {@link EmbeddingRequest} to request JSON, and the
 * {@code {"object":"list","data":[…]}} answer back to an {@link EmbeddingResponse}.
 *
 * <p>Vectors are asked for as base64 ({@code encoding_format: "base64"}, little-endian float32)
 * whatever the client wants, because that is a quarter of the bytes of decimal text and needs no
 * number parsing; the gateway writes the client's format itself. A profile that lists {@code
 * encoding_format} as unsupported gets the default (JSON numbers) instead, and the decoder reads
 * either form, so a server that ignores the field still works. Fields go through the profile like
 * chat fields (Mistral's {@code dimensions} is {@code output_dimension}; {@code input_type} reaches
 * only providers that know it).
 *
 * <p>Pure and thread-safe.
 */
final class OpenAiEmbeddings {
  /** OpenRouter request fields that only steer routing; never forwarded to an upstream. */
  private static final Set<String> GATEWAY_ONLY = Set.of("models", "provider", "route", "transforms");

  private static final List<String> OWNED =
      List.of("model", "input", "dimensions", "encoding_format", "input_type", "user");

  private final OpenAiCompatProfile profile;
  private final Set<String> reserved;

  OpenAiEmbeddings(OpenAiCompatProfile profile) {
    this.profile = profile;
    var names = new HashSet<String>(GATEWAY_ONLY);
    for (String owned : OWNED) {
      names.add(owned);
      names.add(profile.wireName(owned));
    }
    this.reserved = Set.copyOf(names);
  }

  byte[] encode(EmbeddingRequest request, Target target) {
    var bytes = new ByteArrayBuilder(256);
    try (JsonGenerator json = OpenAiWire.JSON.getFactory().createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("model", target.providerModelId());
      json.writeArrayFieldStart("input");
      for (String input : request.inputs()) {
        json.writeString(input);
      }
      json.writeEndArray();
      if (request.dimensions() != null && field(json, "dimensions")) {
        json.writeNumber(request.dimensions());
      }
      if (field(json, "encoding_format")) {
        json.writeString(EmbeddingRequest.EncodingFormat.BASE64.wireName());
      }
      if (request.inputType() != null && field(json, "input_type")) {
        json.writeString(request.inputType());
      }
      if (request.user() != null && field(json, "user")) {
        json.writeString(request.user());
      }
      writeExtra(json, request.extra());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode request", e); // in-memory: does not happen
    }
    return bytes.toByteArray();
  }

  /**
   * @throws UpstreamException of kind {@code MALFORMED} when the body is not an embeddings list,
   *     or of the classified kind when it is an error envelope sent with a 2xx status
   */
  EmbeddingResponse decode(byte[] body) {
    try (JsonParser json = OpenAiWire.JSON.createParser(body)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw OpenAiWire.malformed("upstream response is not a JSON object");
      }
      String id = null;
      String model = null;
      List<IndexedVector> data = null;
      Usage usage = null;
      JsonNode error = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        switch (field) {
          case "id" -> id = OpenAiWire.textOrNull(json);
          case "model" -> model = OpenAiWire.textOrNull(json);
          case "data" -> data = data(json);
          case "usage" -> usage = usage(json.readValueAsTree());
          case "error" -> error = json.readValueAsTree();
          default -> json.skipChildren();
        }
      }
      if (error != null && error.isObject() && data == null) {
        // Some servers report failures with HTTP 200 and an error envelope.
        throw new UpstreamException(OpenAiErrors.fromBodyError(error, new String(body, StandardCharsets.UTF_8)));
      }
      if (data == null) {
        throw OpenAiWire.malformed("upstream response has no 'data'");
      }
      return new EmbeddingResponse(inOrder(data), usage, id, model);
    } catch (JacksonException e) {
      throw OpenAiWire.malformed("upstream response is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw OpenAiWire.malformed("upstream response could not be read: " + e.getMessage());
    }
  }

  private record IndexedVector(int index, EmbeddingVector vector) {}

  private static List<IndexedVector> data(JsonParser json) throws IOException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw OpenAiWire.malformed("'data' is not an array");
    }
    List<IndexedVector> result = new ArrayList<>();
    while (json.nextToken() == JsonToken.START_OBJECT) {
      int index = result.size(); // position stands in for a missing index
      EmbeddingVector vector = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken token = json.nextToken();
        switch (field) {
          case "index" -> {
            if (token != JsonToken.VALUE_NUMBER_INT) {
              throw OpenAiWire.malformed("data[" + result.size() + "].index is not an integer");
            }
            index = json.getIntValue();
          }
          case "embedding" -> vector = vector(json, result.size());
          default -> json.skipChildren();
        }
      }
      if (vector == null) {
        throw OpenAiWire.malformed("data[" + result.size() + "] has no 'embedding'");
      }
      result.add(new IndexedVector(index, vector));
    }
    if (json.currentToken() != JsonToken.END_ARRAY) {
      throw OpenAiWire.malformed("'data' holds something other than embedding objects");
    }
    return result;
  }

  /** A vector written as JSON numbers or as base64 of little-endian float32s. */
  private static EmbeddingVector vector(JsonParser json, int position) throws IOException {
    if (json.currentToken() == JsonToken.VALUE_STRING) {
      return fromBase64(json.getText(), position);
    }
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw OpenAiWire.malformed("data[" + position + "].embedding is neither an array nor a base64 string");
    }
    float[] values = new float[1536];
    int size = 0;
    for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
      if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
        throw OpenAiWire.malformed("data[" + position + "].embedding holds a non-number");
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = json.getFloatValue();
    }
    return EmbeddingVector.of(size == values.length ? values : Arrays.copyOf(values, size));
  }

  static EmbeddingVector fromBase64(String text, int position) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw OpenAiWire.malformed("data[" + position + "].embedding is not valid base64");
    }
    if (bytes.length % Float.BYTES != 0) {
      throw OpenAiWire.malformed("data[" + position + "].embedding is not a whole number of float32 values");
    }
    float[] values = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return EmbeddingVector.of(values);
  }

  /** The vectors in input order; each index from 0 to n-1 exactly once. */
  private static List<EmbeddingVector> inOrder(List<IndexedVector> data) {
    EmbeddingVector[] ordered = new EmbeddingVector[data.size()];
    for (IndexedVector item : data) {
      if (item.index() < 0 || item.index() >= ordered.length || ordered[item.index()] != null) {
        throw OpenAiWire.malformed("embedding indexes are not 0.." + (ordered.length - 1) + " each once");
      }
      ordered[item.index()] = item.vector();
    }
    return Arrays.asList(ordered);
  }

  /** Embeddings usage: {@code prompt_tokens} (and {@code total_tokens}, which adds nothing). */
  private static @Nullable Usage usage(@Nullable JsonNode node) {
    if (node == null || !node.isObject() || !node.path("prompt_tokens").isNumber()) {
      return null;
    }
    return Usage.of(Math.max(0, node.get("prompt_tokens").asLong()), 0);
  }

  /** Writes the field name as the profile spells it and returns true, or false when dropped. */
  private boolean field(JsonGenerator json, String openAiName) throws IOException {
    if (!profile.supports(openAiName)) {
      return false;
    }
    json.writeFieldName(profile.wireName(openAiName));
    return true;
  }

  private void writeExtra(JsonGenerator json, Map<String, RawJson> extra) throws IOException {
    // Sorted so the same request always encodes to the same bytes (Map.copyOf has no order).
    for (Map.Entry<String, RawJson> entry : extra.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      String name = entry.getKey();
      if (!reserved.contains(name) && profile.supports(name)) {
        json.writeFieldName(profile.wireName(name));
        json.writeRawValue(entry.getValue().json());
      }
    }
  }
}
