package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The word-at-a-time terminator search finds what a byte-by-byte scan finds, wherever it starts and ends. */
class LineSplitterPropertyTest {

  @Provide
  Arbitrary<byte[]> bytes() {
    // Mostly bytes next to the terminators (and their high-bit twins), where a wrong mask would misfire.
    Arbitrary<Byte> near = Arbitraries.of((byte) '\n', (byte) '\r', (byte) 0x0B, (byte) 0x0C, (byte) 0x09,
        (byte) 0x8A, (byte) 0x8D, (byte) 0x00, (byte) 0xFF, (byte) 0x0E, (byte) 'a');
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, near), net.jqwik.api.Tuple.of(3, any), net.jqwik.api.Tuple.of(6, Arbitraries.of((byte) 'x')))
        .array(byte[].class).ofMaxSize(70);
  }

  @Property(tries = 3000)
  void findsTheFirstLineFeedOrCarriageReturn(
      @ForAll("bytes") byte[] bytes, @ForAll @IntRange(max = 80) int from, @ForAll @IntRange(max = 80) int to) {
    int start = Math.min(from, bytes.length);
    int end = Math.max(start, Math.min(to, bytes.length));
    assertThat(LineSplitter.nextTerminator(bytes, start, end)).isEqualTo(byteByByte(bytes, start, end));
  }

  private static int byteByByte(byte[] bytes, int from, int end) {
    for (int i = from; i < end; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return end;
  }
}
