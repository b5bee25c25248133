package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

/**
 * A function call the assistant made.
 *
 * @param arguments the arguments as the model produced them: a JSON text, possibly empty
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
    requireNonNull(arguments, "arguments");
  }
}
