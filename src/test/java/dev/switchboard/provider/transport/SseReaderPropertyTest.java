package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.provider.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * However a body is chunked, the reader yields the same frames. Bodies are built from the pieces
 * that make SSE hard: every line ending, comments, multi-line data, event types, multi-byte UTF-8.
 * jqwik reports the seed of a failing run so it can be replayed.
 */
class SseReaderPropertyTest {

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<String> eol = Arbitraries.of("\n", "\r\n", "\r");
    Arbitrary<String> value = Arbitraries.of("x", "", " spaced", "é😊中", "{\"k\":[1,2]}", "a:b", "[DONE]");
    Arbitrary<String> line =
        Combinators.combine(Arbitraries.of("data: ", "data:", "event: ", ": ", "id: ", "retry: ", "data"), value, eol)
            .as((field, v, end) -> field + v + end);
    Arbitrary<String> event = Combinators.combine(line.list().ofMinSize(0).ofMaxSize(4), eol)
        .as((lines, end) -> String.join("", lines) + end);
    return event.list().ofMaxSize(8).map(events -> String.join("", events).getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 500)
  void chunkingNeverChangesTheFrames(@ForAll("bodies") byte[] body, @ForAll("cuts") List<Integer> cuts) {
    SseReader whole = SseReader.create();
    var expected = new ArrayList<Frame.Sse>(whole.feed(body));
    expected.addAll(whole.finish());

    SseReader chunked = SseReader.create();
    var actual = new ArrayList<Frame.Sse>();
    int start = 0;
    for (int cut : cuts.stream().map(c -> Math.min(c, body.length)).sorted().toList()) {
      actual.addAll(chunked.feed(body, start, cut - start));
      start = cut;
    }
    actual.addAll(chunked.feed(body, start, body.length - start));
    actual.addAll(chunked.finish());

    assertThat(actual).isEqualTo(expected);
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 400).list().ofMaxSize(30);
  }
}
