package dev.switchboard.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Gemini's check of a function declaration's {@code parameters}: the field is read into the
 * protobuf {@code Schema} message (https://ai.google.dev/api/caching#Schema), so any keyword that
 * message lacks ({@code additionalProperties}, {@code $ref}, {@code const}, …) is a 400.
 */
final class GeminiMockSchema {
  /** The fields of Gemini's {@code Schema}. */
  private static final Set<String> FIELDS =
      Set.of(
          "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems",
          "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength",
          "pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum",
          "maximum");

  private GeminiMockSchema() {}

  /**
   * @throws IllegalArgumentException with Gemini's message for the first unknown field
   */
  static void check(JsonNode schema, String at) {
    if (!schema.isObject()) {
      return;
    }
    schema
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                    "Invalid JSON payload received. Unknown name \"" + name + "\" at '" + at
                        + "': Cannot find field.");
              }
            });
    schema.path("properties").properties().forEach(p -> check(p.getValue(), at + ".properties"));
    check(schema.path("items"), at + ".items");
    for (JsonNode option : schema.path("anyOf")) {
      check(option, at + ".any_of");
    }
  }
}
