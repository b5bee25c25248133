package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An AWS event stream served over real HTTP on 127.0.0.1, in chunks that split messages, read
 * through the client with the framing's reader: frames arrive whole, and a corrupt message ends
 * the stream with a {@code MALFORMED} error instead of being lost.
 */
class UpstreamClientEventStreamTest {
  private LoopbackUpstream upstream;
  private volatile List<byte[]> chunks = List.of();

  @BeforeEach
  void start() throws Exception {
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(ignored -> {
      var response = request.response().setChunked(true)
          .putHeader("content-type", "application/vnd.amazon.eventstream");
      for (byte[] chunk : chunks) {
        response.write(Buffer.buffer(chunk));
      }
      response.end();
    }));
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  private StreamSeen stream() throws Exception {
    var call = new UpstreamCall(
        new Target("bedrock", "m", upstream.baseUrl()),
        new UpstreamRequest("/model/m/converse-stream", Map.of(), "{}".getBytes(), true),
        new UpstreamAuth.None(), TimeoutConfig.DEFAULTS, new Cancellation());
    StreamStart start = upstream.client().openStream(call, FrameReaders.forFraming(Framing.AWS_EVENT_STREAM))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(start).isInstanceOf(StreamStart.Streaming.class);
    return StreamSeen.read(((StreamStart.Streaming) start).stream());
  }

  private static byte[] concat(byte[]... parts) {
    var out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void messagesSplitAcrossChunksArriveWhole() throws Exception {
    byte[] body = concat(
        AwsEventStreamReaderTest.event("messageStart", "{\"role\":\"assistant\"}"),
        AwsEventStreamReaderTest.event("contentBlockDelta", "{\"delta\":{\"text\":\"héllo\"}}"),
        AwsEventStreamReaderTest.event("messageStop", "{\"stopReason\":\"end_turn\"}"));
    chunks = List.of(java.util.Arrays.copyOfRange(body, 0, 7), java.util.Arrays.copyOfRange(body, 7, 80),
        java.util.Arrays.copyOfRange(body, 80, body.length));

    StreamSeen seen = stream();

    assertThat(seen.error()).isNull();
    assertThat(seen.frames()).extracting(f -> ((Frame.EventStreamMessage) f).headers().get(":event-type"))
        .containsExactly("messageStart", "contentBlockDelta", "messageStop");
  }

  @Test
  void aCorruptMessageEndsTheStreamAsMalformed() throws Exception {
    byte[] good = AwsEventStreamReaderTest.event("messageStart", "{\"role\":\"assistant\"}");
    byte[] bad = AwsEventStreamReaderTest.event("contentBlockDelta", "{\"delta\":{\"text\":\"x\"}}");
    bad[bad.length - 1] ^= 0x01; // the message checksum
    chunks = List.of(good, bad, AwsEventStreamReaderTest.event("messageStop", "{}"));

    StreamSeen seen = stream();

    assertThat(seen.frames()).hasSize(1);
    assertThat(seen.error()).isNotNull();
    assertThat(seen.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED);
    assertThat(seen.error().message()).contains("checksum");
  }
}
