package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Brings Anthropic's November 2024 OpenAPI spec up to the Messages API the adapter targets. Each
 * addition is a feature Anthropic documents today that the adapter sends on purpose; nothing the
 * spec already defines is loosened beyond the one defect fixed in {@link #stripNullTypes}.
 *
 * <ul>
 *   <li>{@code thinking} (extended thinking: {@code {"type":"enabled","budget_tokens":≥1024}} or
 *       {@code {"type":"disabled"}}) and the {@code thinking} / {@code redacted_thinking} blocks
 *       that must be sent back on the next turn of a tool loop;
 *   <li>top-level {@code cache_control} (automatic prompt caching) and the {@code ttl} of a cache
 *       breakpoint ({@code 5m} or {@code 1h});
 *   <li>URL sources for images and documents, plain-text documents, and a document's {@code title}
 *       and {@code context}.
 * </ul>
 */
final class AnthropicSpecAdditions {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private AnthropicSpecAdditions() {}

  static void apply(ObjectNode schemas) {
    stripNullTypes(schemas);

    ((ObjectNode) schemas.get("BetaCacheControlEphemeral").get("properties"))
        .set("ttl", parse("{\"type\": \"string\", \"enum\": [\"5m\", \"1h\"]}"));

    schemas.set("ThinkingConfig", parse("""
        {"oneOf": [
          {"type": "object", "additionalProperties": false, "required": ["type", "budget_tokens"],
           "properties": {"type": {"const": "enabled"}, "budget_tokens": {"type": "integer", "minimum": 1024}}},
          {"type": "object", "additionalProperties": false, "required": ["type"],
           "properties": {"type": {"const": "disabled"}}}]}"""));
    ObjectNode params = (ObjectNode) schemas.get("BetaCreateMessageParams").get("properties");
    params.set("thinking", ref("ThinkingConfig"));
    params.set("cache_control", ref("BetaCacheControlEphemeral"));

    schemas.set("RequestThinkingBlock", parse("""
        {"type": "object", "additionalProperties": false, "required": ["type", "thinking", "signature"],
         "properties": {"type": {"const": "thinking"}, "thinking": {"type": "string"},
                        "signature": {"type": "string"}}}"""));
    schemas.set("RequestRedactedThinkingBlock", parse("""
        {"type": "object", "additionalProperties": false, "required": ["type", "data"],
         "properties": {"type": {"const": "redacted_thinking"}, "data": {"type": "string"}}}"""));
    ArrayNode blocks = (ArrayNode) schemas.get("BetaInputContentBlock").get("oneOf");
    blocks.add(ref("RequestThinkingBlock"));
    blocks.add(ref("RequestRedactedThinkingBlock"));

    schemas.set("URLSource", parse("""
        {"type": "object", "additionalProperties": false, "required": ["type", "url"],
         "properties": {"type": {"const": "url"}, "url": {"type": "string", "minLength": 1}}}"""));
    schemas.set("PlainTextSource", parse("""
        {"type": "object", "additionalProperties": false, "required": ["type", "media_type", "data"],
         "properties": {"type": {"const": "text"}, "media_type": {"const": "text/plain"},
                        "data": {"type": "string"}}}"""));
    ObjectNode image = (ObjectNode) schemas.get("BetaRequestImageBlock").get("properties");
    ((ArrayNode) image.get("source").get("oneOf")).add(ref("URLSource"));
    ObjectNode document = (ObjectNode) schemas.get("BetaRequestPDFBlock").get("properties");
    document.set("source", parse("""
        {"oneOf": [{"$ref": "#/components/schemas/BetaBase64PDFSource"},
                   {"$ref": "#/components/schemas/URLSource"},
                   {"$ref": "#/components/schemas/PlainTextSource"}]}"""));
    document.set("title", parse("{\"type\": \"string\"}"));
    document.set("context", parse("{\"type\": \"string\"}"));
  }

  /**
   * The spec's {@code Model} carries {@code type: null} beside its {@code anyOf} (a generator
   * artefact: YAML's {@code null}, not the JSON type {@code "null"}), which no validator accepts.
   * The {@code anyOf} already says what a model is.
   */
  private static void stripNullTypes(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode type = object.get("type");
      if (type != null && type.isNull()) {
        object.remove("type");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        stripNullTypes(it.next().getValue());
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(AnthropicSpecAdditions::stripNullTypes);
    }
  }

  private static JsonNode ref(String schema) {
    return JSON.createObjectNode().put("$ref", "#/components/schemas/" + schema);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
