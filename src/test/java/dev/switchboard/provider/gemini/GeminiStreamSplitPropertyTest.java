package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.provider.AdapterFixtures;
import dev.switchboard.provider.StreamSplitProperty;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Every recorded Gemini {@code upstream.sse}, split at random byte boundaries (through CRLFs and
 * inside multi-byte characters), decodes to exactly the events of the unsplit body ({@link
 * StreamSplitProperty}); and thought signatures survive their trip through tool-call ids.
 */
class GeminiStreamSplitPropertyTest extends StreamSplitProperty {

  @Override
  protected AdapterFixtures fixtures() {
    return GeminiFixtureTest.FIXTURES;
  }

  @Override
  protected int minimumStreams() {
    return 6;
  }

  /** A thought signature of any length survives the trip through a tool-call id and back. */
  @Property(tries = 200)
  void aThoughtSignatureRoundTripsThroughTheToolCallId(
      @ForAll @Size(min = 1, max = 300) byte[] signature, @ForAll @IntRange(max = 64) int position) {
    String standard = Base64.getEncoder().encodeToString(signature);

    String id = GeminiResponseDecoder.toolCallId(null, position, standard);

    assertThat(id).matches("call_" + position + "__thought__[A-Za-z0-9_-]+");
    assertThat(GeminiResponseDecoder.signature(id)).isEqualTo(standard);
  }
}
