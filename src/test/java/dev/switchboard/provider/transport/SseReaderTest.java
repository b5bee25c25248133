package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.UpstreamException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Feeds each chunk in turn and collects every frame, then finishes. */
  private static List<Frame.Sse> read(SseReader reader, byte[]... chunks) {
    var frames = new ArrayList<Frame.Sse>();
    for (byte[] chunk : chunks) {
      frames.addAll(reader.feed(chunk));
    }
    frames.addAll(reader.finish());
    return frames;
  }

  private static List<Frame.Sse> read(String... chunks) {
    return read(SseReader.create(), java.util.Arrays.stream(chunks).map(SseReaderTest::utf8).toArray(byte[][]::new));
  }

  private static List<Frame.Sse> readByteByByte(byte[] body) {
    SseReader reader = SseReader.create();
    var frames = new ArrayList<Frame.Sse>();
    for (int i = 0; i < body.length; i++) {
      frames.addAll(reader.feed(body, i, 1));
    }
    frames.addAll(reader.finish());
    return frames;
  }

  @Test
  void readsOneEventPerBlankLine() {
    assertThat(read("data: {\"a\":1}\n\ndata: [DONE]\n\n"))
        .containsExactly(new Frame.Sse(null, "{\"a\":1}"), new Frame.Sse(null, "[DONE]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void acceptsEveryLineEnding(String eol) {
    String body = "event: delta" + eol + "data: one" + eol + "data: two" + eol + eol + "data: three" + eol + eol;

    List<Frame.Sse> frames = read(body);

    assertThat(frames).containsExactly(new Frame.Sse("delta", "one\ntwo"), new Frame.Sse(null, "three"));
    assertThat(readByteByByte(utf8(body))).isEqualTo(frames);
  }

  @Test
  void aCrLfSplitBetweenChunksIsOneLineEndNotTwo() {
    // Were the \n taken as a second line end, the empty line would dispatch "a" on its own.
    assertThat(read("data: a\r", "\ndata: b\r", "\n\r", "\n"))
        .containsExactly(new Frame.Sse(null, "a\nb"));
  }

  @Test
  void aLoneCrAtTheEndOfAChunkStillEndsTheLine() {
    assertThat(read("data: a\r", "\r", "data: b\r\r")).containsExactly(new Frame.Sse(null, "a"), new Frame.Sse(null, "b"));
  }

  @Test
  void joinsMultiLineDataWithNewlinesAndKeepsEmptyDataLines() {
    assertThat(read("data: first\ndata\ndata:\ndata: last\n\n"))
        .containsExactly(new Frame.Sse(null, "first\n\n\nlast"));
  }

  @Test
  void removesExactlyOneSpaceAfterTheColon() {
    assertThat(read("data:no-space\n\ndata:  two spaces\n\ndata:\ttab\n\n"))
        .containsExactly(new Frame.Sse(null, "no-space"), new Frame.Sse(null, " two spaces"), new Frame.Sse(null, "\ttab"));
  }

  @Test
  void anEventWithOnlyAnEmptyDataLineIsDispatchedWithEmptyData() {
    assertThat(read("data:\n\n")).containsExactly(new Frame.Sse(null, ""));
  }

  @Test
  void theEventTypeAppliesToOneEventOnly() {
    assertThat(read("event: error\ndata: x\n\ndata: y\n\nevent:\ndata: z\n\n"))
        .containsExactly(new Frame.Sse("error", "x"), new Frame.Sse(null, "y"), new Frame.Sse(null, "z"));
  }

  @Test
  void ignoresCommentsIdsRetriesAndUnknownFields() {
    String body =
        ": OPENROUTER PROCESSING\n\n"
            + ":\n"
            + "id: 42\nretry: 1000\nfoo: bar\nData: wrong case\ndata: kept\n\n";
    assertThat(read(body)).containsExactly(new Frame.Sse(null, "kept"));
  }

  @Test
  void anEventWithoutDataIsNotDispatchedAndDoesNotLeakItsType() {
    assertThat(read("event: ping\n\ndata: after\n\n")).containsExactly(new Frame.Sse(null, "after"));
  }

  @Test
  void decodesCodePointsSplitAcrossChunks() {
    byte[] body = utf8("data: é 😊 中文\n\n");

    assertThat(readByteByByte(body)).containsExactly(new Frame.Sse(null, "é 😊 中文"));
  }

  @Test
  void skipsALeadingByteOrderMarkEvenWhenSplit() {
    byte[] body = utf8("\uFEFFdata: x\n\n");
    assertThat(read(SseReader.create(), body)).containsExactly(new Frame.Sse(null, "x"));
    assertThat(readByteByByte(body)).containsExactly(new Frame.Sse(null, "x"));
  }

  @Test
  void finishDiscardsAnUnterminatedEventAndTheReaderCanStartAgain() {
    SseReader reader = SseReader.create();
    assertThat(reader.feed(utf8("data: complete\n\ndata: {\"cut"))).containsExactly(new Frame.Sse(null, "complete"));
    assertThat(reader.finish()).isEmpty();
    // Even a complete data line without its blank line is dropped, as the spec says.
    assertThat(read("data: no blank line\n")).isEmpty();
    assertThat(reader.feed(utf8("data: next stream\n\n"))).containsExactly(new Frame.Sse(null, "next stream"));
  }

  @Test
  void returnsNothingUntilAnEventCompletes() {
    SseReader reader = SseReader.create();
    assertThat(reader.feed(utf8("data: par"))).isEmpty();
    assertThat(reader.feed(utf8("tial\n"))).isEmpty();
    assertThat(reader.feed(utf8("\n"))).containsExactly(new Frame.Sse(null, "partial"));
    assertThat(reader.feed(new byte[0])).isEmpty();
  }

  @Test
  void readsOnlyTheGivenRangeOfTheArray() {
    byte[] array = utf8("XXXXdata: in range\n\nYYYY");
    assertThat(SseReader.create().feed(array, 4, array.length - 8)).containsExactly(new Frame.Sse(null, "in range"));
  }

  @Test
  void readsHeapAndDirectByteBuffersAndConsumesThem() {
    byte[] body = utf8("data: buffered\n\n");
    ByteBuffer heap = ByteBuffer.wrap(utf8("--" + "data: buffered\n\n"), 2, body.length);
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length).put(body).flip();

    assertThat(SseReader.create().feed(heap)).containsExactly(new Frame.Sse(null, "buffered"));
    assertThat(SseReader.create().feed(direct)).containsExactly(new Frame.Sse(null, "buffered"));
    assertThat(heap.hasRemaining()).isFalse();
    assertThat(direct.hasRemaining()).isFalse();
  }

  @Test
  void rejectsALineLongerThanTheCap() {
    SseReader reader = SseReader.create(64);
    reader.feed(utf8("data: " + "x".repeat(40)));
    assertThatThrownBy(() -> reader.feed(utf8("y".repeat(40))))
        .isInstanceOfSatisfying(
            UpstreamException.class, e -> assertThat(e.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED));
    assertThatThrownBy(() -> SseReader.create(16).feed(utf8("data: " + "z".repeat(20) + "\n")))
        .isInstanceOf(UpstreamException.class);
  }

  @Test
  void rejectsAnEventWhoseDataLinesAddUpPastTheCap() {
    SseReader reader = SseReader.create(64);
    String line = "data: " + "x".repeat(30) + "\n";
    reader.feed(utf8(line));
    assertThatThrownBy(() -> reader.feed(utf8(line + line)))
        .isInstanceOfSatisfying(
            UpstreamException.class, e -> assertThat(e.error().message()).contains("exceeds 64 bytes"));
  }

  @Test
  void handlesManyEventsInOneChunkAndOneEventAcrossManyChunks() {
    var many = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      many.append("data: ").append(i).append("\n\n");
    }
    List<Frame.Sse> frames = read(many.toString());
    assertThat(frames).hasSize(1000);
    assertThat(frames.get(999)).isEqualTo(new Frame.Sse(null, "999"));

    String big = "x".repeat(100_000);
    byte[] body = utf8("data: " + big + "\n\n");
    SseReader reader = SseReader.create();
    var collected = new ArrayList<Frame.Sse>();
    for (int i = 0; i < body.length; i += 1000) {
      collected.addAll(reader.feed(body, i, Math.min(1000, body.length - i)));
    }
    assertThat(collected).containsExactly(new Frame.Sse(null, big));
  }
}
