package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.EmbeddingVector;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test-only JSON form of the canonical embeddings records, for golden fixtures under {@code
 * fixtures/<provider>-embeddings/}: the same conventions as {@link CanonicalJson} (camelCase
 * components, nulls omitted). Vector values are written as float JSON numbers, so a fixture states
 * them as the shortest decimal that reads back as the same float32.
 *
 * <pre>
 * request:  {"model", "providerModelId"?, "fallbackModels"?, "inputs", "dimensions"?,
 *            "encodingFormat"? (FLOAT|BASE64), "inputType"?, "user"?, "extra"?}
 * response: {"vectors": [[...]], "usage"?, "upstreamId"?, "upstreamModel"?}
 * </pre>
 */
public final class EmbeddingJson {
  private EmbeddingJson() {}

  public static EmbeddingRequest readRequest(JsonNode node) {
    List<String> fallbacks = new ArrayList<>();
    node.path("fallbackModels").forEach(m -> fallbacks.add(m.asText()));
    List<String> inputs = new ArrayList<>();
    node.path("inputs").forEach(i -> inputs.add(i.asText()));
    Map<String, RawJson> extra = new LinkedHashMap<>();
    node.path("extra").properties().forEach(e -> extra.put(e.getKey(), RawJson.of(e.getValue().toString())));
    return new EmbeddingRequest(
        node.get("model").asText(),
        fallbacks,
        inputs,
        node.hasNonNull("dimensions") ? node.get("dimensions").asInt() : null,
        node.hasNonNull("encodingFormat")
            ? EmbeddingRequest.EncodingFormat.valueOf(node.get("encodingFormat").asText())
            : EmbeddingRequest.EncodingFormat.FLOAT,
        node.hasNonNull("inputType") ? node.get("inputType").asText() : null,
        node.hasNonNull("user") ? node.get("user").asText() : null,
        ProviderPreferences.NONE,
        extra);
  }

  public static ObjectNode write(EmbeddingResponse response) {
    ObjectNode node = CanonicalJson.JSON.createObjectNode();
    ArrayNode vectors = node.putArray("vectors");
    for (EmbeddingVector vector : response.vectors()) {
      ArrayNode values = vectors.addArray();
      for (int i = 0; i < vector.dimensions(); i++) {
        values.add(vector.value(i));
      }
    }
    if (response.usage() != null) {
      node.set("usage", CanonicalJson.write(response.usage()));
    }
    if (response.upstreamId() != null) {
      node.put("upstreamId", response.upstreamId());
    }
    if (response.upstreamModel() != null) {
      node.put("upstreamModel", response.upstreamModel());
    }
    return node;
  }
}
