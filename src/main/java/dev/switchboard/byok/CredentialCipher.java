package dev.switchboard.byok;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens credentials with AES-256-GCM (the JDK's {@code javax.crypto}): a fresh 96-bit
 * random nonce per seal, a 128-bit tag, and associated data that binds the ciphertext to where it
 * belongs (account and provider), so a ciphertext moved to another row, or altered by one bit,
 * fails to open. With random nonces one key may seal about 2<sup>32</sup> values before nonce
 * collisions become a concern (NIST SP 800-38D, 8.3): far beyond the number of credentials a
 * gateway keeps, even counting every update. Thread-safe (a {@link Cipher} per call).
 */
public final class CredentialCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MasterKey key;

  public CredentialCipher(MasterKey key) {
    this.key = requireNonNull(key, "key");
  }

  /**
   * A sealed value.
   *
   * @param keyId the {@link MasterKey#id()} it was sealed under
   */
  public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    public Sealed {
      requireNonNull(keyId, "keyId");
      requireNonNull(nonce, "nonce");
      requireNonNull(ciphertext, "ciphertext");
    }
  }

  /** Thrown when a sealed value cannot be opened: altered, moved, or sealed under another key. */
  public static final class OpenFailed extends RuntimeException {
    OpenFailed(String message) {
      super(message, null, false, false);
    }
  }

  public MasterKey key() {
    return key;
  }

  /** Seals {@code plaintext} for {@code context} (the associated data). */
  public Sealed seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return new Sealed(key.id(), nonce, cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a value sealed for {@code context}.
   *
   * @throws OpenFailed when it was sealed under another master key, or altered, or for another context
   */
  public String open(Sealed sealed, String context) {
    if (!sealed.keyId().equals(key.id())) {
      throw new OpenFailed("sealed under master key " + sealed.keyId() + ", not the current "
          + key.id() + " (was the master key rotated? store the credential again)");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new OpenFailed("the sealed credential failed authentication (altered, or not sealed for "
          + "this account and provider)");
    } catch (GeneralSecurityException e) {
      throw new OpenFailed("the sealed credential cannot be opened: " + e.getMessage());
    }
  }
}
