package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A function the model may call.
 *
 * @param parameters the JSON Schema of its arguments, verbatim
 * @param strict OpenAI's strict schema adherence flag, when given
 */
public record ToolSpec(
    String name, @Nullable String description, @Nullable RawJson parameters, @Nullable Boolean strict) {
  public ToolSpec {
    requireNonNull(name, "name");
  }
}
