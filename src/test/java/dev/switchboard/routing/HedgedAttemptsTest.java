package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfiles;
import dev.switchboard.provider.transport.FrameReaders;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.provider.transport.UpstreamClient;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt loop's hedging against two mocks: {@code cheap} answers its first byte after 5 s,
 * {@code mid} at once. The plan tries {@code cheap} first.
 */
class HedgedAttemptsTest {
  private final Vertx vertx = Vertx.vertx();
  private final UpstreamClient client = new UpstreamClient(vertx, 4);
  private final MockUpstream slow = MockUpstream.start(MockOptions.of().withFirstByteDelay(Duration.ofSeconds(5)));
  private final MockUpstream fast = MockUpstream.start(MockOptions.of());
  private final List<String> recorded = new ArrayList<>();
  private final EndpointStats stats = new EndpointStats(InstantSource.system());

  @AfterEach
  void close() {
    client.close();
    slow.close();
    fast.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** The fixture's plan for acme/chat (cheap, mid, pricey) with cheap and mid on the mocks. */
  private RoutePlan plan(boolean hedge) {
    RoutePlan planned = PlannerFixture.planner().plan(PlannerFixture.request("acme/chat",
        PlannerFixture.prefs(List.of("cheap", "mid"), List.of("cheap", "mid"), List.of(), false)));
    List<Attempt> attempts = new ArrayList<>();
    for (Attempt attempt : planned.attempts()) {
      MockUpstream mock = attempt.provider().slug().equals("cheap") ? slow : fast;
      String slug = attempt.provider().slug();
      ConfiguredProvider provider = new ConfiguredProvider(slug,
          new OpenAiCompatAdapter(OpenAiCompatProfiles.load().generic(slug, mock.baseUrl())), mock.baseUrl(),
          new UpstreamAuth.None(), TimeoutConfig.DEFAULTS);
      attempts.add(new Attempt(attempt.model(), attempt.endpoint(), provider));
    }
    ChatRequest request = planned.request();
    if (hedge) {
      var prefs = request.provider();
      request = new ChatRequest(request.model(), request.fallbackModels(), request.messages(), request.tools(),
          null, null, null, null, null, null, null, List.of(), null, null, null, false, false,
          new dev.switchboard.core.ProviderPreferences(prefs.order(), prefs.only(), prefs.ignore(),
              prefs.allowFallbacks(), false, null, null, Map.of("hedge", RawJson.of("true"))), Map.of());
    }
    return new RoutePlan(attempts, List.of(), planned.strategy(), request, "acme/chat", null);
  }

  private ChatExecutor executor(RoutingConfig.Hedging hedging) {
    return new ChatExecutor(client, FrameReaders::forFraming, RoutingConfig.DEFAULTS.withHedging(hedging),
        new RecordingHealth(recorded), AttemptObserver.NONE, stats);
  }

  @Test
  void theFirstToAnswerWinsAndTheLoserCostsItsEndpointNothing() {
    RoutePlan plan = plan(true);
    Completion completion = executor(new RoutingConfig.Hedging(false, Duration.ofMillis(50), null))
        .complete(plan.request(), plan, new Cancellation());

    assertThat(completion.served().provider().slug()).isEqualTo("mid");
    assertThat(completion.outcomes()).extracting(AttemptOutcome::label).containsExactly("hedge_lost", "success");
    assertThat(recorded).containsExactly("cheap:CANCELLED", "mid:ok");
    assertThat(GatewayTiming.eventually(() -> slow.stats().requestsAbandoned() == 1)).isTrue();
  }

  @Test
  void aPercentileDelayComesFromTheEndpointsStatistics() {
    // cheap usually answers within 30 ms; the fixed fallback (1 min) would never hedge in this test.
    for (int i = 0; i < 20; i++) {
      stats.recordSpeed(EndpointId.of(plan(true).attempts().getFirst().endpoint()), 30, null);
    }
    RoutePlan plan = plan(true);
    Completion completion = executor(new RoutingConfig.Hedging(false, Duration.ofMinutes(1), 95.0))
        .complete(plan.request(), plan, new Cancellation());

    assertThat(completion.served().provider().slug()).isEqualTo("mid");
  }

  @Test
  void withoutHedgingTheFirstEndpointIsAwaited() {
    RoutePlan plan = plan(false);
    Cancellation cancellation = new Cancellation();
    // Not hedged: the slow endpoint alone runs; give up on it rather than wait 5 s.
    vertx.setTimer(300, id -> cancellation.cancel());

    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
        executor(new RoutingConfig.Hedging(false, Duration.ofMillis(50), null))
            .complete(plan.request(), plan, cancellation))
        .isInstanceOf(ChatExecutor.ClientGone.class);
    assertThat(fast.stats().requests()).isZero();
  }

  /** Records what health is told; admits everything. */
  private record RecordingHealth(List<String> recorded) implements EndpointHealth {
    @Override
    public Verdict verdict(EndpointId endpoint) {
      return new Verdict.Healthy();
    }

    @Override
    public boolean tryAcquire(EndpointId endpoint) {
      return true;
    }

    @Override
    public synchronized void record(EndpointId endpoint, @Nullable UpstreamError error) {
      recorded.add(endpoint.provider() + ":" + (error == null ? "ok" : error.kind()));
    }

    @Override
    public Snapshot snapshot(EndpointId endpoint) {
      return EndpointHealth.none().snapshot(endpoint);
    }
  }

  /** Polling without timing assertions. */
  private static final class GatewayTiming {
    static boolean eventually(java.util.function.BooleanSupplier condition) {
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < deadline) {
        if (condition.getAsBoolean()) {
          return true;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return condition.getAsBoolean();
    }
  }
}
