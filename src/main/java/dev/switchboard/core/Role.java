package dev.switchboard.core;

import java.util.Locale;
import java.util.Optional;

/** The author of a {@link Message}, named as OpenAI names it on the wire. */
public enum Role {
  SYSTEM,
  DEVELOPER,
  USER,
  ASSISTANT,
  TOOL;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lower-case name used by the OpenAI wire format. */
  public String wireName() {
    return wireName;
  }

  /** Looks a role up by its wire name; empty when the name is not a known role. */
  public static Optional<Role> fromWire(String name) {
    for (Role role : values()) {
      if (role.wireName.equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
