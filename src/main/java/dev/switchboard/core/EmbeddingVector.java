package dev.switchboard.core;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One embedding: an immutable vector of float32 values.
 *
 * <p>A final class rather than a record because it holds an array: a {@code float[]} costs 4 bytes
 * a dimension where a {@code List<Float>} costs about 20, and a request can carry thousands of
 * 3072-dimension vectors. Float32 is what every provider computes and OpenAI's base64 format
 * carries, so nothing is lost by not using {@code double}. The array never escapes: it is copied
 * in and out.
 */
public final class EmbeddingVector {
  private final float[] values;

  private EmbeddingVector(float[] values) {
    this.values = values;
  }

  /** A vector holding a copy of {@code values}. */
  public static EmbeddingVector of(float... values) {
    return new EmbeddingVector(values.clone());
  }

  /** The number of values. */
  public int dimensions() {
    return values.length;
  }

  /** The value at {@code index}, counted from 0. */
  public float value(int index) {
    return values[index];
  }

  /** A copy of the values. */
  public float[] toArray() {
    return values.clone();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof EmbeddingVector that && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  /** The length and the first values only: vectors are long and say nothing to a reader of logs. */
  @Override
  public String toString() {
    int shown = Math.min(3, values.length);
    StringBuilder sb = new StringBuilder("EmbeddingVector[").append(values.length).append(" dims: ");
    for (int i = 0; i < shown; i++) {
      sb.append(i == 0 ? "" : ", ").append(values[i]);
    }
    return sb.append(values.length > shown ? ", …]" : "]").toString();
  }
}
