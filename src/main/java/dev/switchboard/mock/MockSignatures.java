package dev.switchboard.mock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The opaque signatures the mock puts on reasoning it hands out (Anthropic's thinking {@code
 * signature}, Gemini's {@code thoughtSignature}) and checks when a client sends them back, as the
 * real providers reject a tampered or missing one.
 *
 * <p>A signature is standard base64 of two fixed bytes and a hash of what it signs. The fixed
 * bytes {@code 0xFB 0xFF} make it start with {@code +/}, and its length needs {@code =} padding,
 * so a gateway that carries it in a URL-safe or unpadded form (as Switchboard does for Gemini's,
 * inside tool-call ids) is caught if it does not restore it exactly.
 */
final class MockSignatures {
  private static final byte[] MARK = {(byte) 0xFB, (byte) 0xFF};
  private static final int HASH_BYTES = 18;

  private MockSignatures() {}

  /** The signature of {@code content}. */
  static String of(String content) {
    byte[] hash = sha256(content);
    byte[] bytes = new byte[MARK.length + HASH_BYTES];
    System.arraycopy(MARK, 0, bytes, 0, MARK.length);
    System.arraycopy(hash, 0, bytes, MARK.length, HASH_BYTES);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Whether {@code signature} is exactly the one the mock issued for {@code content}. */
  static boolean valid(String signature, String content) {
    return MessageDigest.isEqual(
        signature.getBytes(StandardCharsets.US_ASCII), of(content).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] sha256(String content) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(hash, HASH_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
