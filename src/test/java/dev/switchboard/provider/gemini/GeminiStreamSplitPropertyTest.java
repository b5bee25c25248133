package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.StreamEvent;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.transport.SseReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Every recorded Gemini {@code upstream.sse}, split at random byte boundaries (through CRLFs and
 * inside multi-byte characters), decodes to exactly the events of the unsplit body. jqwik prints
 * the seed of a failing run; rerun with {@code @Property(seed = "...")} to reproduce it.
 */
class GeminiStreamSplitPropertyTest {
  private static final List<Fixture> STREAMS = GeminiFixtureTest.streamCases().toList();

  /** A recorded stream and where to cut it. */
  record Split(Fixture fixture, byte[] body, List<Integer> cuts) {
    @Override
    public String toString() {
      return fixture + " cut at " + cuts;
    }
  }

  @Provide
  Arbitrary<Split> splits() {
    return Arbitraries.of(STREAMS)
        .flatMap(fixture -> {
          byte[] body = fixture.bytes("upstream.sse");
          return Arbitraries.integers()
              .between(0, body.length)
              .list()
              .ofMaxSize(Math.min(64, body.length))
              .map(cuts -> new Split(fixture, body, List.copyOf(new TreeSet<>(cuts))));
        });
  }

  @Property(tries = 300)
  void anySplitOfARecordedStreamYieldsTheSameEvents(@ForAll("splits") Split split) {
    List<StreamEvent> expected = GeminiFixtureTest.decode(split.body());

    SseReader reader = SseReader.create();
    StreamDecoder decoder = GeminiFixtureTest.ADAPTER.newStreamDecoder(GeminiFixtureTest.target());
    var actual = new ArrayList<StreamEvent>();
    int start = 0;
    for (int cut : split.cuts()) {
      reader.feed(split.body(), start, cut - start).forEach(frame -> actual.addAll(decoder.onFrame(frame)));
      start = cut;
    }
    reader.feed(split.body(), start, split.body().length - start).forEach(frame -> actual.addAll(decoder.onFrame(frame)));
    reader.finish().forEach(frame -> actual.addAll(decoder.onFrame(frame)));
    actual.addAll(decoder.onEnd());

    assertThat(actual).isEqualTo(expected);
  }

  @Property(tries = 1)
  void everyRecordedStreamSurvivesByteAtATimeDelivery() {
    assertThat(STREAMS).as("recorded Gemini streams").hasSizeGreaterThanOrEqualTo(6);
    for (Fixture fixture : STREAMS) {
      byte[] body = fixture.bytes("upstream.sse");
      var cuts = new ArrayList<Integer>();
      for (int i = 1; i < body.length; i++) {
        cuts.add(i);
      }
      anySplitOfARecordedStreamYieldsTheSameEvents(new Split(fixture, body, cuts));
    }
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
