package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streams opened from a thread that is not an event loop (a resumed stream's virtual thread, a
 * hedge's timer), over real HTTP on 127.0.0.1, against an upstream that answers a whole short
 * stream at once. Such an exchange has to start on an event loop: started on the caller's thread,
 * the response could end before its handlers were set, and the stream then never opened.
 */
class UpstreamClientCallerThreadTest {
  private static final String STREAM = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n";

  private LoopbackUpstream upstream;

  @BeforeEach
  void start() throws Exception {
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(ignored -> request.response()
        .putHeader("content-type", "text/event-stream").end(Buffer.buffer(STREAM))));
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  @Test
  void everyStreamOpenedFromAPlainVirtualThreadOpensAndEnds() throws Exception {
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    Thread.startVirtualThread(() -> {
      try {
        int count = 0;
        for (int i = 0; i < 300; i++) {
          StreamStart start = upstream.client().openStream(call(), FrameReaders.forFraming(Framing.SSE))
              .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
          StreamSeen seen = StreamSeen.read(((StreamStart.Streaming) start).stream());
          if (seen.error() == null && !seen.frames().isEmpty()) {
            count++;
          }
        }
        ended.complete(count);
      } catch (Exception e) {
        ended.completeExceptionally(e);
      }
    });

    assertThat(ended.get(60, TimeUnit.SECONDS)).isEqualTo(300);
  }

  private UpstreamCall call() {
    return new UpstreamCall(
        new Target("openai", "m", upstream.baseUrl()),
        new UpstreamRequest("/v1/chat/completions", Map.of(), "{}".getBytes(), true),
        new UpstreamAuth.None(),
        new TimeoutConfig(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)),
        new Cancellation());
  }
}
