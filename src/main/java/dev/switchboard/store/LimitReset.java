package dev.switchboard.store;

import java.util.Locale;

/**
 * When a key's spending limit starts over, as OpenRouter defines it: UTC days, ISO weeks starting
 * Monday, calendar months (UTC). No value (null) means the limit never resets.
 */
public enum LimitReset {
  DAILY,
  WEEKLY,
  MONTHLY;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The value stored in {@code api_keys.limit_reset} and used on the wire. */
  public String wireName() {
    return wireName;
  }

  /** Parses a {@link #wireName()}, ignoring case. */
  public static LimitReset parse(String value) {
    for (LimitReset reset : values()) {
      if (reset.wireName.equalsIgnoreCase(value)) {
        return reset;
      }
    }
    throw new IllegalArgumentException(
        "limit reset must be 'daily', 'weekly' or 'monthly', was '" + value + "'");
  }
}
