package dev.switchboard.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MockChunksTest {
  @Test
  void splitsIntoNearEqualPiecesFrontLoaded() {
    assertThat(MockChunks.split("abcdefghij", 3)).containsExactly("abcd", "efg", "hij");
    assertThat(MockChunks.split("ab", 8)).containsExactly("a", "b");
    assertThat(MockChunks.split("", 8)).isEmpty();
  }

  @Test
  void neverSplitsASurrogatePair() {
    List<String> pieces = MockChunks.split("a😀b😀", 4);

    assertThat(pieces).containsExactly("a", "😀", "b", "😀");
  }

  @Property(tries = 200, seed = "20260101")
  void piecesJoinBackToTheText(@ForAll String text, @ForAll @IntRange(min = 1, max = 20) int n) {
    List<String> pieces = MockChunks.split(text, n);

    assertThat(String.join("", pieces)).isEqualTo(text);
    assertThat(pieces).hasSizeLessThanOrEqualTo(n).allSatisfy(p -> assertThat(p).isNotEmpty());
  }

  @Test
  void framesDataAsServerSentEvents() {
    String frame = MockChunks.data("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).toString();
    String all =
        MockChunks.join(List.of(MockChunks.data(new byte[] {'x'}), MockChunks.done())).toString();

    assertThat(frame).isEqualTo("data: {\"a\":1}\n\n");
    assertThat(all).isEqualTo("data: x\n\ndata: [DONE]\n\n");
  }
}
