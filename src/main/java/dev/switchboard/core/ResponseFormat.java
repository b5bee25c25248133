package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** The shape the model's answer must take. */
public sealed interface ResponseFormat {
  /** Free text (the default). */
  record Text() implements ResponseFormat {}

  /** Any valid JSON object. */
  record JsonObject() implements ResponseFormat {}

  /** JSON valid against a schema. */
  record JsonSchema(
      String name, @Nullable String description, @Nullable RawJson schema, @Nullable Boolean strict)
      implements ResponseFormat {
    public JsonSchema {
      requireNonNull(name, "name");
    }
  }
}
