package dev.switchboard.byok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialCipherTest {
  private static final String SECRET = "sk-proj-THE-REAL-PROVIDER-KEY-1234";
  private static final String CONTEXT = ByokVault.context("team-a", "openai");

  static String randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private final CredentialCipher cipher = new CredentialCipher(MasterKey.of(randomKey(), "test"));

  @Test
  void aSealedKeyOpensToItselfAndItsCiphertextDoesNotContainIt() {
    CredentialCipher.Sealed sealed = cipher.seal(SECRET, CONTEXT);

    assertThat(sealed.nonce()).hasSize(12);
    assertThat(sealed.ciphertext()).hasSize(SECRET.length() + 16); // + the 128-bit tag
    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("REAL-PROVIDER");
    assertThat(sealed.keyId()).isEqualTo(cipher.key().id()).startsWith("mk-");
    assertThat(cipher.open(sealed, CONTEXT)).isEqualTo(SECRET);
  }

  @Test
  void everySealUsesAFreshNonce() {
    CredentialCipher.Sealed first = cipher.seal(SECRET, CONTEXT);
    CredentialCipher.Sealed second = cipher.seal(SECRET, CONTEXT);

    assertThat(first.nonce()).isNotEqualTo(second.nonce());
    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
  }

  @Test
  void anyChangedBitOfCiphertextOrNonceFailsToOpen() {
    CredentialCipher.Sealed sealed = cipher.seal(SECRET, CONTEXT);
    for (int i = 0; i < sealed.ciphertext().length; i++) {
      byte[] tampered = sealed.ciphertext().clone();
      tampered[i] ^= 0x01;
      CredentialCipher.Sealed altered = new CredentialCipher.Sealed(sealed.keyId(), sealed.nonce(), tampered);
      assertThatThrownBy(() -> cipher.open(altered, CONTEXT)).isInstanceOf(CredentialCipher.OpenFailed.class)
          .hasMessageContaining("failed authentication");
    }
    byte[] nonce = sealed.nonce().clone();
    nonce[0] ^= 0x01;
    assertThatThrownBy(() -> cipher.open(new CredentialCipher.Sealed(sealed.keyId(), nonce, sealed.ciphertext()), CONTEXT))
        .isInstanceOf(CredentialCipher.OpenFailed.class);
  }

  @Test
  void aCiphertextMovedToAnotherAccountOrProviderFailsToOpen() {
    CredentialCipher.Sealed sealed = cipher.seal(SECRET, CONTEXT);

    assertThatThrownBy(() -> cipher.open(sealed, ByokVault.context("team-b", "openai")))
        .isInstanceOf(CredentialCipher.OpenFailed.class);
    assertThatThrownBy(() -> cipher.open(sealed, ByokVault.context("team-a", "anthropic")))
        .isInstanceOf(CredentialCipher.OpenFailed.class);
  }

  @Test
  void aKeySealedUnderAnotherMasterKeyIsRecognisedAsSuch() {
    CredentialCipher.Sealed sealed = new CredentialCipher(MasterKey.of(randomKey(), "old")).seal(SECRET, CONTEXT);

    assertThatThrownBy(() -> cipher.open(sealed, CONTEXT)).isInstanceOf(CredentialCipher.OpenFailed.class)
        .hasMessageContaining("sealed under master key " + sealed.keyId())
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void theMasterKeyComesFromTheEnvironmentOrAFileAndBadOnesAreRefusedWithoutEchoingThem(@TempDir Path dir)
      throws Exception {
    String key = randomKey();
    Path file = dir.resolve("master.key");
    Files.writeString(file, key + "\n");

    assertThat(MasterKey.load(Map.of(), null)).isEmpty();
    assertThat(MasterKey.load(Map.of(), file.toString()).orElseThrow().id())
        .isEqualTo(MasterKey.of(key, "x").id());
    assertThat(MasterKey.load(Map.of(MasterKey.ENV, key), "/no/such/file").orElseThrow().id())
        .isEqualTo(MasterKey.of(key, "x").id());
    assertThat(MasterKey.of(key, "x").toString()).doesNotContain(key);

    String tooShort = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> MasterKey.load(Map.of(MasterKey.ENV, tooShort), null))
        .hasMessageContaining("must decode to 32 bytes, not 16").hasMessageNotContaining(tooShort);
    assertThatThrownBy(() -> MasterKey.load(Map.of(MasterKey.ENV, "not base64 !!"), null))
        .hasMessageContaining("SWITCHBOARD_MASTER_KEY is not valid base64").hasMessageNotContaining("!!");
    assertThatThrownBy(() -> MasterKey.load(Map.of(), dir.resolve("missing").toString()))
        .hasMessageContaining("cannot read the master key file");
  }
}
