package dev.switchboard.keys;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The key format: {@code sk-sb-v1-} followed by 48 base62 characters from {@link SecureRandom}
 * (about 286 bits), hashed with SHA-256 for storage and shortened to a label for display.
 *
 * <p>The hash is unsalted on purpose: keys are long random strings, not passwords, so there is
 * nothing to brute-force, and an unsalted digest is what lets a presented key be found by an index
 * lookup. It is also OpenRouter's key id ({@code sha256(key)} hex).
 *
 * <p>Thread-safe.
 */
public final class ApiKeys {
  public static final String PREFIX = "sk-sb-v1-";
  public static final int RANDOM_LENGTH = 48;
  public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH;

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int LABEL_CHARS = 3;

  private final SecureRandom random;

  public ApiKeys(SecureRandom random) {
    this.random = requireNonNull(random, "random");
  }

  /** Keys from a default {@link SecureRandom}. */
  public static ApiKeys create() {
    return new ApiKeys(new SecureRandom());
  }

  /** A new key. Show it to its owner once; store only {@link #hash}. */
  public String generate() {
    StringBuilder key = new StringBuilder(LENGTH).append(PREFIX);
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      // nextInt(bound) rejects out-of-range draws, so every character is equally likely.
      key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return key.toString();
  }

  /** Lowercase hex SHA-256 of the key's UTF-8 bytes: the key's id in the store. */
  public static String hash(String key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * A display form that shows the first and last three random characters, {@code
   * sk-sb-v1-abc...xyz} (OpenRouter's style), leaving about 250 bits unrevealed.
   *
   * @throws IllegalArgumentException if {@code key} is not {@link #isWellFormed well formed}
   */
  public static String label(String key) {
    if (!isWellFormed(key)) {
      throw new IllegalArgumentException("not a Switchboard key");
    }
    return PREFIX
        + key.substring(PREFIX.length(), PREFIX.length() + LABEL_CHARS)
        + "..."
        + key.substring(LENGTH - LABEL_CHARS);
  }

  /**
   * Whether {@code text} has the shape of a key. Checked before any lookup so that garbage never
   * reaches the store or the cache. The shape is public, so this check leaks nothing by its timing.
   */
  public static boolean isWellFormed(String text) {
    if (text.length() != LENGTH || !text.startsWith(PREFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < LENGTH; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }
}
