package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

/** How the model may use the tools it was given. */
public sealed interface ToolChoice {
  /** The model decides. */
  record Auto() implements ToolChoice {}

  /** The model must not call a tool. */
  record None() implements ToolChoice {}

  /** The model must call at least one tool. */
  record Required() implements ToolChoice {}

  /** The model must call this function. */
  record Function(String name) implements ToolChoice {
    public Function {
      requireNonNull(name, "name");
    }
  }
}
