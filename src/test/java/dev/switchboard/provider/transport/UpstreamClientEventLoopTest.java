package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import io.netty.channel.EventLoop;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each event loop has its own connections to an upstream, so a response is read on the thread of
 * the request that waits for it instead of being handed across loops (docs/performance.md, round
 * 8). Over real HTTP/1.1 on 127.0.0.1.
 */
class UpstreamClientEventLoopTest {
  private LoopbackUpstream upstream;

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  @Test
  void callsFromTwoEventLoopsTakeTurnsOnConnectionsOfTheirOwn() throws Exception {
    Map<String, Set<HttpConnection>> connectionsByLoop = new ConcurrentHashMap<>();
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(ignored -> {
      connectionsByLoop.computeIfAbsent(request.getHeader("x-loop"), loop -> ConcurrentHashMap.newKeySet())
          .add(request.connection());
      request.response().putHeader("content-type", "application/json").end("{}");
    }));
    List<ContextInternal> loops = twoEventLoops();

    // One call at a time, alternating: a single shared pool would reuse its one idle connection.
    for (int i = 0; i < 20; i++) {
      ContextInternal loop = loops.get(i % 2);
      String name = "loop-" + i % 2;
      Promise<Thread> answeredOn = Promise.promise();
      loop.runOnContext(v -> upstream.client().exchange(call(name))
          .onSuccess((UpstreamResponse response) -> answeredOn.complete(Thread.currentThread()))
          .onFailure(answeredOn::fail));
      Thread thread = answeredOn.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(loop.nettyEventLoop().inEventLoop(thread)).as("answered on the caller's event loop").isTrue();
    }

    assertThat(connectionsByLoop.keySet()).containsExactlyInAnyOrder("loop-0", "loop-1");
    Set<HttpConnection> first = connectionsByLoop.get("loop-0");
    Set<HttpConnection> second = connectionsByLoop.get("loop-1");
    assertThat(first).hasSize(1);
    assertThat(second).hasSize(1);
    assertThat(first).doesNotContainAnyElementsOf(second);
  }

  private List<ContextInternal> twoEventLoops() {
    VertxInternal vertx = (VertxInternal) upstream.vertx();
    var loops = vertx.nettyEventLoopGroup().iterator();
    EventLoop a = loops.next().next() instanceof EventLoop loop ? loop : null;
    EventLoop b = loops.next().next() instanceof EventLoop loop ? loop : null;
    assertThat(a).isNotNull().isNotSameAs(b);
    return List.of(
        vertx.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP).withEventLoop(a).build(),
        vertx.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP).withEventLoop(b).build());
  }

  private UpstreamCall call(String loop) {
    return new UpstreamCall(
        new Target("openai", "m", upstream.baseUrl()),
        new UpstreamRequest("/v1/chat/completions", Map.of("x-loop", loop), "{}".getBytes(), false),
        new UpstreamAuth.None(),
        new TimeoutConfig(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)),
        new Cancellation());
  }
}
