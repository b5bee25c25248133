package dev.switchboard.store;

import java.util.Locale;

/** What a key may do: call models, or manage keys (OpenRouter's "management API keys"). */
public enum KeyKind {
  /** Calls inference endpoints. */
  INFERENCE,
  /** Manages keys and reads usage; cannot call inference. */
  MANAGEMENT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The value stored in {@code api_keys.kind} and shown to people. */
  public String wireName() {
    return wireName;
  }

  /** Parses a {@link #wireName()}, ignoring case. */
  public static KeyKind parse(String value) {
    for (KeyKind kind : values()) {
      if (kind.wireName.equalsIgnoreCase(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "key kind must be 'inference' or 'management', was '" + value + "'");
  }
}
