package dev.switchboard.core;

import java.util.Locale;

/** Why a choice stopped, normalised to OpenAI's five values. */
public enum FinishReason {
  STOP,
  LENGTH,
  TOOL_CALLS,
  CONTENT_FILTER,
  ERROR;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The OpenAI wire value. */
  public String wireName() {
    return wireName;
  }
}
