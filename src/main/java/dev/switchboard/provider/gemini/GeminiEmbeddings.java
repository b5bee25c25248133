package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.EmbeddingVector;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's embeddings API (https://ai.google.dev/api/embeddings): one input goes to {@code
 * :embedContent}, several to {@code :batchEmbedContents}, whose {@code requests} each name the
 * model again. {@code dimensions} is {@code outputDimensionality}; OpenRouter's {@code input_type}
 * is the {@code taskType} ({@code search_query} is {@code RETRIEVAL_QUERY}, {@code
 * search_document} is {@code RETRIEVAL_DOCUMENT}, other names are upper-cased, so {@code
 * semantic_similarity} reaches Gemini as {@code SEMANTIC_SIMILARITY}). {@code user} and unknown
 * fields have nowhere to go and are not sent.
 *
 * <p>Answers carry {@code embedding.values} or {@code embeddings[].values}, in request order, and
 * usually no token counts, so usage is null and the gateway estimates it. Pure and thread-safe.
 */
final class GeminiEmbeddings {
  private static final Map<String, String> TASK_TYPES = Map.of(
      "search_query", "RETRIEVAL_QUERY",
      "query", "RETRIEVAL_QUERY",
      "search_document", "RETRIEVAL_DOCUMENT",
      "document", "RETRIEVAL_DOCUMENT");

  /**
   * Reads answers with a streaming parser. Not {@link GeminiAdapter#JSON}: its trailing-token check
   * treats a sub-tree read in the middle of a document as a whole document and fails on the rest.
   */
  private static final ObjectMapper READER = JsonMapper.builder().build();

  private GeminiEmbeddings() {}

  static UpstreamRequest encode(EmbeddingRequest request, Target target) {
    String modelPath = GeminiAdapter.modelPath(target.providerModelId());
    String model = modelPath.substring(1);
    boolean single = request.inputs().size() == 1;
    var bytes = new ByteArrayBuilder(256);
    try (JsonGenerator json = GeminiAdapter.JSON.getFactory().createGenerator(bytes)) {
      json.writeStartObject();
      if (single) {
        writeRequest(json, model, request.inputs().getFirst(), request);
      } else {
        json.writeArrayFieldStart("requests");
        for (String input : request.inputs()) {
          json.writeStartObject();
          writeRequest(json, model, input, request);
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode request", e); // in-memory: does not happen
    }
    String path = modelPath + (single ? ":embedContent" : ":batchEmbedContents");
    return new UpstreamRequest(path, Map.of(), bytes.toByteArray(), false);
  }

  /** The members of one {@code EmbedContentRequest}. */
  private static void writeRequest(JsonGenerator json, String model, String input, EmbeddingRequest request)
      throws IOException {
    json.writeStringField("model", model);
    json.writeObjectFieldStart("content");
    json.writeArrayFieldStart("parts");
    json.writeStartObject();
    json.writeStringField("text", input);
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
    if (request.inputType() != null) {
      json.writeStringField("taskType", taskType(request.inputType()));
    }
    if (request.dimensions() != null) {
      json.writeNumberField("outputDimensionality", request.dimensions());
    }
  }

  static String taskType(String inputType) {
    String lower = inputType.strip().toLowerCase(Locale.ROOT);
    String known = TASK_TYPES.get(lower);
    return known != null ? known : lower.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * @throws UpstreamException of kind {@code MALFORMED} when the body holds no embeddings, or of
   *     the classified kind when it is an error envelope sent with a 2xx status
   */
  static EmbeddingResponse decode(byte[] body) {
    try (JsonParser json = READER.createParser(body)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw GeminiErrors.malformed("upstream response is not a JSON object");
      }
      List<EmbeddingVector> vectors = null;
      Usage usage = null;
      JsonNode error = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        switch (field) {
          case "embedding" -> vectors = List.of(embedding(json, 0));
          case "embeddings" -> vectors = embeddings(json);
          case "usageMetadata" -> usage = usage(json.readValueAsTree());
          case "error" -> error = json.readValueAsTree();
          default -> json.skipChildren();
        }
      }
      if (error != null && error.isObject()) {
        throw new UpstreamException(GeminiErrors.fromBodyError(error, new String(body, StandardCharsets.UTF_8)));
      }
      if (vectors == null) {
        throw GeminiErrors.malformed("upstream response has neither 'embedding' nor 'embeddings'");
      }
      return new EmbeddingResponse(vectors, usage, null, null);
    } catch (JacksonException e) {
      throw GeminiErrors.malformed("upstream response is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw GeminiErrors.malformed("upstream response could not be read: " + e.getMessage());
    }
  }

  private static List<EmbeddingVector> embeddings(JsonParser json) throws IOException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw GeminiErrors.malformed("'embeddings' is not an array");
    }
    List<EmbeddingVector> vectors = new ArrayList<>();
    while (json.nextToken() != JsonToken.END_ARRAY) {
      vectors.add(embedding(json, vectors.size()));
    }
    return vectors;
  }

  /** One {@code ContentEmbedding}: {@code {"values": [...]}}. */
  private static EmbeddingVector embedding(JsonParser json, int position) throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw GeminiErrors.malformed("embedding " + position + " is not an object");
    }
    EmbeddingVector vector = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      if (field.equals("values")) {
        vector = values(json, position);
      } else {
        json.skipChildren();
      }
    }
    if (vector == null) {
      throw GeminiErrors.malformed("embedding " + position + " has no 'values'");
    }
    return vector;
  }

  private static EmbeddingVector values(JsonParser json, int position) throws IOException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw GeminiErrors.malformed("embedding " + position + " values are not an array");
    }
    float[] values = new float[3072];
    int size = 0;
    for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
      if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
        throw GeminiErrors.malformed("embedding " + position + " holds a non-number");
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = json.getFloatValue();
    }
    return EmbeddingVector.of(size == values.length ? values : Arrays.copyOf(values, size));
  }

  /** Token counts, should a response carry them ({@code usageMetadata.promptTokenCount}). */
  private static @Nullable Usage usage(@Nullable JsonNode node) {
    if (node == null || !node.path("promptTokenCount").isNumber()) {
      return null;
    }
    return Usage.of(Math.max(0, node.get("promptTokenCount").asLong()), 0);
  }
}
