package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.StreamEvent;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.transport.SseReader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every recorded Anthropic {@code upstream.sse}, split at random byte boundaries (inside {@code
 * event:} and {@code data:} lines and inside multi-byte characters), decodes to exactly the events
 * of the unsplit body. jqwik prints the seed of a failing run; rerun with {@code @Property(seed =
 * "...")} to reproduce it.
 */
class AnthropicStreamSplitPropertyTest {
  private static final List<Fixture> STREAMS = AnthropicFixtureTest.streamCases().toList();

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

  @Property(tries = 400)
  void anySplitOfARecordedStreamYieldsTheSameEvents(@ForAll("splits") Split split) {
    List<StreamEvent> expected = AnthropicFixtureTest.decode(split.body());

    SseReader reader = SseReader.create();
    StreamDecoder decoder = AnthropicFixtureTest.ADAPTER.newStreamDecoder(AnthropicSamples.target());
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
    assertThat(STREAMS).hasSizeGreaterThanOrEqualTo(5);
    for (Fixture fixture : STREAMS) {
      byte[] body = fixture.bytes("upstream.sse");
      var cuts = new ArrayList<Integer>();
      for (int i = 1; i < body.length; i++) {
        cuts.add(i);
      }
      anySplitOfARecordedStreamYieldsTheSameEvents(new Split(fixture, body, cuts));
    }
  }
}
