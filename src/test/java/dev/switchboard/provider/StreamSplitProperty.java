package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.StreamEvent;
import dev.switchboard.provider.Fixtures.Fixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every recorded stream of an adapter, split at random byte boundaries (through line ends, inside
 * multi-byte characters, or inside an event-stream message's prelude, headers and checksum, by the
 * adapter's framing), decodes to exactly the events of the unsplit body (STYLE.md, "Property and
 * fuzz tests"). Each chunk goes through the frame reader of the adapter's own framing and a fresh
 * decoder, as the transport delivers it. jqwik prints the seed of a failing run; rerun with
 * {@code @Property(seed = "...")} to reproduce it.
 *
 * <p>An adapter's {@code <X>StreamSplitPropertyTest} extends this and names its fixtures.
 */
public abstract class StreamSplitProperty {

  /** The adapter's fixtures, whose recorded streams are split. */
  protected abstract AdapterFixtures fixtures();

  /** How many recorded streams there are at least; guards against splitting nothing. */
  protected int minimumStreams() {
    return 1;
  }

  /** A recorded stream and where to cut it. */
  public record Split(Fixture fixture, byte[] body, List<Integer> cuts) {
    @Override
    public String toString() {
      return fixture + " cut at " + cuts;
    }
  }

  @Provide
  protected Arbitrary<Split> splits() {
    return Arbitraries.of(fixtures().streamCases().toList())
        .flatMap(fixture -> {
          byte[] body = fixtures().streamBody().apply(fixture);
          return Arbitraries.integers()
              .between(0, body.length)
              .list()
              .ofMaxSize(Math.min(64, body.length))
              .map(cuts -> new Split(fixture, body, List.copyOf(new TreeSet<>(cuts))));
        });
  }

  @Property(tries = 400)
  public void anySplitOfARecordedStreamYieldsTheSameEvents(@ForAll("splits") Split split) {
    List<StreamEvent> expected = fixtures().decodeStream(split.fixture(), List.of(split.body()));

    var chunks = new ArrayList<byte[]>();
    int start = 0;
    for (int cut : split.cuts()) {
      chunks.add(Arrays.copyOfRange(split.body(), start, cut));
      start = cut;
    }
    chunks.add(Arrays.copyOfRange(split.body(), start, split.body().length));
    List<StreamEvent> actual = fixtures().decodeStream(split.fixture(), chunks);

    assertThat(actual).isEqualTo(expected);
  }

  @Property(tries = 1)
  public void everyRecordedStreamSurvivesByteAtATimeDelivery() {
    List<Fixture> streams = fixtures().streamCases().toList();
    assertThat(streams).as("recorded streams").hasSizeGreaterThanOrEqualTo(minimumStreams());
    for (Fixture fixture : streams) {
      byte[] body = fixtures().streamBody().apply(fixture);
      var cuts = new ArrayList<Integer>();
      for (int i = 1; i < body.length; i++) {
        cuts.add(i);
      }
      anySplitOfARecordedStreamYieldsTheSameEvents(new Split(fixture, body, cuts));
    }
  }
}
