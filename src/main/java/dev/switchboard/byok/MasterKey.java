package dev.switchboard.byok;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The key that seals BYOK credentials: 32 random bytes, base64-encoded, from the environment
 * variable {@value #ENV} or from the file {@code secrets.master_key_file} names (the environment
 * wins). Generate one with {@code openssl rand -base64 32}.
 *
 * <p>Its {@link #id()} is a fingerprint (the first 8 bytes of SHA-256 over a label and the key, in
 * hex), stored beside every credential it seals: after a rotation, rows still sealed under the old
 * key are recognised as such rather than failing as if tampered with. The key itself is never
 * printed: {@link #toString()} shows the id only.
 */
public final class MasterKey {
  /** The environment variable that holds the master key. */
  public static final String ENV = "SWITCHBOARD_MASTER_KEY";

  private static final int BYTES = 32;

  private final SecretKey key;
  private final String id;

  private MasterKey(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "AES");
    this.id = fingerprint(bytes);
    Arrays.fill(bytes, (byte) 0);
  }

  /** A master key from its base64 text. */
  public static MasterKey of(String base64, String source) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " is not valid base64 (expected 32 random bytes,"
          + " e.g. from `openssl rand -base64 32`)");
    }
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(source + " must decode to " + BYTES + " bytes, not "
          + bytes.length + " (e.g. `openssl rand -base64 32`)");
    }
    return new MasterKey(bytes);
  }

  /**
   * The master key from {@value #ENV}, else from {@code file}; empty when neither is set.
   *
   * @throws IllegalArgumentException when the one given is unreadable or malformed (the message
   *     never repeats the key)
   */
  public static Optional<MasterKey> load(Map<String, String> env, @Nullable String file) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(of(fromEnv, ENV));
    }
    if (file == null || file.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(of(Files.readString(Path.of(file), StandardCharsets.US_ASCII),
          "the master key file " + file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the master key file " + file + ": " + e.getMessage());
    }
  }

  /** The fingerprint stored with every credential sealed under this key. */
  public String id() {
    return id;
  }

  SecretKey secretKey() {
    return key;
  }

  private static String fingerprint(byte[] bytes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("switchboard-byok-master-key-id".getBytes(StandardCharsets.US_ASCII));
      return "mk-" + HexFormat.of().formatHex(sha.digest(bytes), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[" + requireNonNull(id) + "]";
  }
}
