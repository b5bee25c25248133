package dev.switchboard.routing;

import static dev.switchboard.routing.PlannerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.transport.FrameReaders;
import dev.switchboard.provider.transport.UpstreamClient;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointId;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt loop's bounds, against the fixture's providers, which all point at 127.0.0.1:9 where
 * nothing listens (connection refused, at once).
 */
class ChatExecutorTest {
  private final Vertx vertx = Vertx.vertx();
  private final UpstreamClient client = new UpstreamClient(vertx, 4);
  private final List<String> events = new ArrayList<>();
  private final RoutePlan plan = PlannerFixture.planner().plan(request("acme/chat", ProviderPreferences.NONE));

  @AfterEach
  void close() {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private ChatExecutor executor(RoutingConfig config, EndpointHealth health) {
    return new ChatExecutor(client, FrameReaders::forFraming, config, health, new AttemptObserver() {
      @Override
      public void attempted(AttemptOutcome outcome) {
        events.add(outcome.attempt().provider().slug() + ":" + outcome.error().kind());
      }

      @Override
      public void failed(List<AttemptOutcome> outcomes, GatewayException error) {
        events.add("failed:" + error.status());
      }
    });
  }

  private static RoutingConfig config(int maxAttempts, Duration deadline) {
    return new RoutingConfig(maxAttempts, deadline, Duration.ofHours(1), TimeoutConfig.DEFAULTS,
        RoutingConfig.Health.DEFAULTS);
  }

  @Test
  void everyFailureIsRecordedAndTheLastOneReachesTheClient() {
    List<String> recorded = new ArrayList<>();
    EndpointHealth health = new RecordingHealth(recorded, true);

    assertThatThrownBy(() -> executor(RoutingConfig.DEFAULTS, health).complete(plan.request(), plan, new Cancellation()))
        .isInstanceOfSatisfying(ChatExecutor.AttemptsFailed.class, failed -> {
          assertThat(failed.outcomes()).hasSize(3);
          assertThat(failed.clientError().status()).isEqualTo(502);
          assertThat(failed.clientError().getMessage()).contains("pricey").contains("after 3 attempts");
        });
    assertThat(events).containsExactly("cheap:CONNECT", "mid:CONNECT", "pricey:CONNECT", "failed:502");
    assertThat(recorded).containsExactly("cheap:CONNECT", "mid:CONNECT", "pricey:CONNECT");
  }

  @Test
  void completeAsyncRunsTheSameLoopOnAnEventLoopWithoutBlockingIt() throws Exception {
    ChatExecutor executor = executor(RoutingConfig.DEFAULTS, EndpointHealth.none());
    CompletableFuture<Boolean> completeAtReturn = new CompletableFuture<>();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      // Awaiting anything here would throw: Vert.x refuses to block an event loop.
      var completion = executor.completeAsync(plan.request(), plan, new Cancellation());
      completeAtReturn.complete(completion.isComplete());
      completion.onComplete(done -> failure.complete(done.cause()));
    });

    assertThat(completeAtReturn.get(10, TimeUnit.SECONDS)).as("returned before any attempt answered").isFalse();
    assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ChatExecutor.AttemptsFailed.class,
        failed -> assertThat(failed.outcomes()).hasSize(3));
    assertThat(events).containsExactly("cheap:CONNECT", "mid:CONNECT", "pricey:CONNECT", "failed:502");
  }

  @Test
  void maxAttemptsStopsTheLoop() {
    assertThatThrownBy(() -> executor(config(2, Duration.ofMinutes(1)), EndpointHealth.none())
        .complete(plan.request(), plan, new Cancellation()))
        .isInstanceOfSatisfying(ChatExecutor.AttemptsFailed.class,
            failed -> assertThat(failed.outcomes()).extracting(o -> o.attempt().provider().slug())
                .containsExactly("cheap", "mid"));
  }

  @Test
  void anEndpointThatCannotBeAcquiredIsSkippedAndNothingLeftIsA503() {
    List<String> recorded = new ArrayList<>();
    assertThatThrownBy(() -> executor(RoutingConfig.DEFAULTS, new RecordingHealth(recorded, false))
        .open(plan.request(), plan, new Cancellation()))
        .isInstanceOfSatisfying(ChatExecutor.AttemptsFailed.class, failed -> {
          assertThat(failed.outcomes()).isEmpty();
          assertThat(failed.clientError()).isInstanceOf(GatewayException.NoEndpointAvailable.class);
          assertThat(failed.clientError().getMessage()).contains("became unavailable");
        });
    assertThat(recorded).as("nothing tried, nothing recorded").isEmpty();
    assertThat(events).containsExactly("failed:503");
  }

  @Test
  void anExhaustedDeadlineTriesNothing() {
    assertThatThrownBy(() -> executor(config(5, Duration.ZERO), EndpointHealth.none())
        .complete(plan.request(), plan, new Cancellation()))
        .isInstanceOfSatisfying(ChatExecutor.AttemptsFailed.class, failed -> {
          assertThat(failed.outcomes()).isEmpty();
          assertThat(failed.clientError().getMessage()).contains("routing deadline");
        });
  }

  @Test
  void aCancelledRequestEndsAsClientGone() {
    Cancellation cancellation = new Cancellation();
    cancellation.cancel();
    assertThatThrownBy(() -> executor(RoutingConfig.DEFAULTS, EndpointHealth.none())
        .complete(plan.request(), plan, cancellation))
        .isInstanceOf(ChatExecutor.ClientGone.class);
    assertThat(events).noneMatch(e -> e.contains("CONNECT") || e.startsWith("failed"));
  }

  /** Health that records what it is told and admits everything or nothing. */
  private record RecordingHealth(List<String> recorded, boolean admit) implements EndpointHealth {
    @Override
    public Verdict verdict(EndpointId endpoint) {
      return new Verdict.Healthy();
    }

    @Override
    public boolean tryAcquire(EndpointId endpoint) {
      return admit;
    }

    @Override
    public void record(EndpointId endpoint, @Nullable UpstreamError error) {
      recorded.add(endpoint.provider() + ":" + (error == null ? "OK" : error.kind()));
    }

    @Override
    public Snapshot snapshot(EndpointId endpoint) {
      return Snapshot.UNKNOWN;
    }
  }
}
