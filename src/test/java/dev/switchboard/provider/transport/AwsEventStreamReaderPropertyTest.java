package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.provider.Frame;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.eventstream.HeaderValue;

/**
 * However an event-stream body is chunked, the reader yields the same frames, and they are the
 * messages that were encoded. Messages have random headers and payloads (empty, multi-byte UTF-8,
 * a few kilobytes) so cuts land in preludes, headers, payloads and checksums. jqwik reports the
 * seed of every run (and of a failure) so it can be replayed with {@code @Property(seed = ...)}.
 */
class AwsEventStreamReaderPropertyTest {

  record Encoded(List<Frame.EventStreamMessage> messages, byte[] body) {
    @Override
    public String toString() {
      return messages.size() + " messages, " + body.length + " bytes";
    }
  }

  @Provide
  Arbitrary<Encoded> bodies() {
    Arbitrary<String> text = Arbitraries.of("", "x", "{\"delta\":{\"text\":\"é😊中\"}}", "{\"p\":\"abcdefgh\"}")
        .flatMap(s -> Arbitraries.integers().between(1, 200).map(s::repeat));
    Arbitrary<Map<String, String>> headers = Combinators.combine(
            Arbitraries.of("messageStart", "contentBlockDelta", "metadata", "throttlingException"),
            Arbitraries.of("event", "exception", "error"),
            Arbitraries.of("application/json", "text/plain"))
        .as((type, kind, content) -> {
          var map = new LinkedHashMap<String, String>();
          map.put(":event-type", type);
          map.put(":message-type", kind);
          map.put(":content-type", content);
          return map;
        });
    Arbitrary<Frame.EventStreamMessage> message =
        Combinators.combine(headers, text).as(Frame.EventStreamMessage::new);
    return message.list().ofMinSize(0).ofMaxSize(6).map(list -> {
      var out = new ByteArrayOutputStream();
      for (Frame.EventStreamMessage m : list) {
        var typed = new LinkedHashMap<String, HeaderValue>();
        m.headers().forEach((k, v) -> typed.put(k, HeaderValue.fromString(v)));
        out.writeBytes(AwsEventStreamReaderTest.encoded(typed, m.payload()));
      }
      return new Encoded(list, out.toByteArray());
    });
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 20_000).list().ofMaxSize(40);
  }

  @Property(tries = 500)
  void chunkingNeverChangesTheFrames(@ForAll("bodies") Encoded encoded, @ForAll("cuts") List<Integer> cuts) {
    byte[] body = encoded.body();
    AwsEventStreamReader reader = AwsEventStreamReader.create();
    var actual = new ArrayList<Frame.EventStreamMessage>();
    int start = 0;
    for (int cut : cuts.stream().map(c -> Math.min(c, body.length)).sorted().toList()) {
      actual.addAll(reader.feed(body, start, cut - start));
      start = cut;
    }
    actual.addAll(reader.feed(body, start, body.length - start));
    actual.addAll(reader.finish());

    assertThat(actual).isEqualTo(encoded.messages());
  }
}
