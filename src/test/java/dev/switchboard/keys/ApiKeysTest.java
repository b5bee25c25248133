package dev.switchboard.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private final ApiKeys apiKeys = ApiKeys.create();

  @Test
  void generatesPrefixedBase62KeysOfFixedLength() {
    String key = apiKeys.generate();

    assertThat(key).startsWith("sk-sb-v1-").hasSize(57).matches("sk-sb-v1-[0-9A-Za-z]{48}");
    assertThat(ApiKeys.isWellFormed(key)).isTrue();
  }

  @Test
  void generatesDistinctKeysUsingTheWholeAlphabet() {
    Set<String> keys = new HashSet<>();
    Set<Character> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String key = apiKeys.generate();
      keys.add(key);
      key.substring(ApiKeys.PREFIX.length()).chars().forEach(c -> seen.add((char) c));
    }
    assertThat(keys).hasSize(1_000);
    assertThat(seen).hasSize(62); // 48,000 draws miss none of 62 symbols unless the alphabet is cut
  }

  @Test
  void hashIsLowercaseHexSha256() {
    // FIPS 180-2 test vector.
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void labelShowsThreeCharactersAtEachEnd() {
    String key = "sk-sb-v1-abc" + "0".repeat(42) + "xyz";

    assertThat(ApiKeys.label(key)).isEqualTo("sk-sb-v1-abc...xyz");
  }

  @Test
  void recognisesOnlyTheKeyShape() {
    String body = "A".repeat(48);
    assertThat(ApiKeys.isWellFormed("sk-sb-v1-" + body)).isTrue();
    assertThat(ApiKeys.isWellFormed("sk-or-v1-" + body)).isFalse();
    assertThat(ApiKeys.isWellFormed("sk-sb-v1-" + body.substring(1))).isFalse();
    assertThat(ApiKeys.isWellFormed("sk-sb-v1-" + body.substring(1) + "-")).isFalse();
    assertThat(ApiKeys.isWellFormed("")).isFalse();
    assertThatThrownBy(() -> ApiKeys.label("nope")).isInstanceOf(IllegalArgumentException.class);
  }
}
