package dev.switchboard.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.StreamEvent;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.transport.AwsEventStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every recorded ConverseStream body, split at random byte boundaries (inside preludes, headers,
 * payloads, multi-byte characters and checksums), decodes to exactly the events of the unsplit
 * body. jqwik prints the seed of each run; rerun a failure with {@code @Property(seed = "...")}.
 */
class BedrockStreamSplitPropertyTest {
  private static final List<Fixture> STREAMS = BedrockFixtureTest.streamCases().toList();

  /** A recorded stream and where to cut it. */
  record Split(Fixture fixture, byte[] body, List<Integer> cuts) {
    @Override
    public String toString() {
      return fixture + " cut at " + cuts;
    }
  }

  @Provide
  Arbitrary<Split> splits() {
    return Arbitraries.of(STREAMS).flatMap(fixture -> {
      byte[] body = BedrockFixtureTest.body(fixture);
      return Arbitraries.integers().between(0, body.length).list().ofMaxSize(Math.min(64, body.length))
          .map(cuts -> new Split(fixture, body, List.copyOf(new TreeSet<>(cuts))));
    });
  }

  @Property(tries = 400)
  void anySplitOfARecordedStreamYieldsTheSameEvents(@ForAll("splits") Split split) {
    List<StreamEvent> expected = BedrockFixtureTest.decode(split.body());

    AwsEventStreamReader reader = AwsEventStreamReader.create();
    StreamDecoder decoder = BedrockFixtureTest.ADAPTER.newStreamDecoder(BedrockFixtureTest.target());
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
    for (Fixture fixture : STREAMS) {
      byte[] body = BedrockFixtureTest.body(fixture);
      var cuts = new ArrayList<Integer>();
      for (int i = 1; i < body.length; i++) {
        cuts.add(i);
      }
      anySplitOfARecordedStreamYieldsTheSameEvents(new Split(fixture, body, cuts));
    }
  }
}
