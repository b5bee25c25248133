package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.CanonicalJson.canonical;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ToolSpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Schema rewrites the golden fixtures do not cover (they cover the common Pydantic and Zod shapes). */
class GeminiSchemaTest {

  private static @Nullable JsonNode parameters(String schema) {
    return GeminiSchema.parameters(new ToolSpec("f", null, RawJson.of(schema), null));
  }

  @Test
  void rewritesSchemasIntoGeminisSubset() {
    String schema =
        """
        {"type": "object",
         "properties": {
           "tree": {"$ref": "#"},
           "anything": true,
           "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
           "nothing": {"type": "null"},
           "count": {"type": "integer", "format": "uint8", "enum": [1, 2, 3]},
           "remote": {"$ref": "https://example.com/schema.json", "description": "elsewhere"},
           "anchor": {"$ref": "#node"},
           "either": {"type": ["integer", "string", "null"]}
         }}
        """;
    JsonNode properties = parameters(schema).get("properties");

    assertThat(depthOf(properties.get("tree"), "tree")).as("a recursive schema is inlined to a fixed depth").isBetween(3, 10);
    assertThat(properties.get("anything").isEmpty()).isTrue();
    assertThat(canonical(properties.get("pair"))).isEqualTo(canonical("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"));
    assertThat(canonical(properties.get("nothing"))).isEqualTo(canonical("{\"nullable\":true}"));
    assertThat(canonical(properties.get("count"))).as("numeric enums and unknown formats go").isEqualTo(canonical("{\"type\":\"integer\"}"));
    assertThat(canonical(properties.get("remote"))).isEqualTo(canonical("{\"description\":\"elsewhere\"}"));
    assertThat(properties.get("anchor").isEmpty()).isTrue();
    assertThat(canonical(properties.get("either")))
        .isEqualTo(canonical("{\"nullable\":true,\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}"));
  }

  @Test
  void aFunctionThatTakesNothingHasNoParameters() {
    assertThat(GeminiSchema.parameters(new ToolSpec("now", "The time", null, null))).isNull();
    assertThat(parameters("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}")).isNull();
    assertThat(parameters("{}")).isNull();
    assertThat(canonical(parameters("{\"type\":\"string\",\"maxLength\":3}")))
        .as("a non-object schema is kept")
        .isEqualTo(canonical("{\"type\":\"string\",\"maxLength\":3}"));
  }

  private static int depthOf(JsonNode node, String field) {
    int depth = 0;
    while (node != null && node.path("properties").has(field)) {
      node = node.path("properties").get(field);
      depth++;
    }
    return depth;
  }
}
