package dev.switchboard.http;

import java.security.SecureRandom;

/**
 * Generation ids: {@code gen-} + a millisecond timestamp + 64 random bits, in base 62, so ids sort
 * roughly by time and cannot be guessed. Thread-safe.
 */
public final class GenerationIds {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private final SecureRandom random = new SecureRandom();

  public String next() {
    StringBuilder sb = new StringBuilder(32).append("gen-");
    appendBase62(sb, System.currentTimeMillis(), 8);
    appendBase62(sb, random.nextLong() >>> 1, 11);
    return sb.toString();
  }

  private static void appendBase62(StringBuilder sb, long value, int width) {
    char[] digits = new char[width];
    for (int i = width - 1; i >= 0; i--) {
      digits[i] = ALPHABET[(int) (value % 62)];
      value /= 62;
    }
    sb.append(digits);
  }
}
