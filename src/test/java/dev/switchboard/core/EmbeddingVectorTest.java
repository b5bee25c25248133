package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingVectorTest {
  @Test
  void valuesAreCopiedInAndOut() {
    float[] values = {0.5f, -0.25f, 0.125f};
    EmbeddingVector vector = EmbeddingVector.of(values);
    values[0] = 9f;
    vector.toArray()[1] = 9f;

    assertThat(vector.toArray()).containsExactly(0.5f, -0.25f, 0.125f);
    assertThat(vector.dimensions()).isEqualTo(3);
    assertThat(vector.value(2)).isEqualTo(0.125f);
  }

  @Test
  void equalByValueWithAShortToString() {
    assertThat(EmbeddingVector.of(1f, 2f)).isEqualTo(EmbeddingVector.of(1f, 2f))
        .hasSameHashCodeAs(EmbeddingVector.of(1f, 2f))
        .isNotEqualTo(EmbeddingVector.of(1f, 2f, 0f));
    assertThat(EmbeddingVector.of(new float[3072])).hasToString("EmbeddingVector[3072 dims: 0.0, 0.0, 0.0, …]");
  }

  @Test
  void requestsNeedInputsAndPositiveDimensions() {
    assertThatThrownBy(() -> EmbeddingRequest.of("a/b", List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmbeddingRequest("a/b", List.of(), List.of("x"), 0,
        EmbeddingRequest.EncodingFormat.FLOAT, null, null, ProviderPreferences.NONE, java.util.Map.of()))
        .hasMessageContaining("dimensions must be positive");
  }
}
