package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

/**
 * A credential from config or the environment. {@link #toString()} is redacted so records that
 * hold one can be logged safely; only {@link #reveal()} gives the value, at the point of use.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The plaintext. Call only where the credential is put on the wire. */
  public String reveal() {
    return value;
  }

  public boolean isBlank() {
    return value.isBlank();
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret that && that.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
