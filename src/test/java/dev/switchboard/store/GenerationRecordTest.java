package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GenerationRecordTest {
  private static final Instant AT = Instant.parse("2025-11-26T10:15:30.123456789Z");

  @Test
  void builderDefaultsToASuccessfulFreeSingleAttempt() {
    GenerationRecord record =
        GenerationRecord.builder("gen-1", TestStores.KEY_HASH, "default", "m/x", AT).build();

    assertThat(record.status()).isEqualTo(GenerationRecord.Status.SUCCESS);
    assertThat(record.usage()).isEqualTo(Usage.ZERO);
    assertThat(record.attempts()).isEqualTo(1);
    assertThat(record.costNanos()).isZero();
    assertThat(record.provider()).isNull();
  }

  @Test
  void keepsMillisecondsLikeTheStore() {
    GenerationRecord record =
        GenerationRecord.builder("gen-1", TestStores.KEY_HASH, "default", "m/x", AT).build();

    assertThat(record.createdAt()).isEqualTo(Instant.parse("2025-11-26T10:15:30.123Z"));
  }

  @Test
  void errorMarksTheStatusAndCutsLongMessages() {
    GenerationRecord record =
        GenerationRecord.builder("gen-1", TestStores.KEY_HASH, "default", "m/x", AT)
            .error(502, "x".repeat(5_000))
            .build();

    assertThat(record.status()).isEqualTo(GenerationRecord.Status.ERROR);
    assertThat(record.errorCode()).isEqualTo(502);
    assertThat(record.errorMessage()).hasSize(GenerationRecord.MAX_ERROR_MESSAGE);
  }

  @Test
  void rejectsNegativeCostsAndBlankIds() {
    assertThatThrownBy(
            () ->
                GenerationRecord.builder("gen-1", TestStores.KEY_HASH, "default", "m/x", AT)
                    .costNanos(-1)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("costNanos");
    assertThatThrownBy(
            () -> GenerationRecord.builder(" ", TestStores.KEY_HASH, "default", "m/x", AT).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id");
  }

  @Test
  void statusParsesItsWireNames() {
    for (GenerationRecord.Status status : GenerationRecord.Status.values()) {
      assertThat(GenerationRecord.Status.parse(status.wireName())).isEqualTo(status);
    }
    assertThatThrownBy(() -> GenerationRecord.Status.parse("ok"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
