package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.routing.health.LocalEndpointHealth;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BYOK attempts leave the shared circuit breaker alone; the operator's attempts drive it. */
class AttemptHealthTest {
  private static final UpstreamError REVOKED = UpstreamError.of(Kind.AUTH, 401, "invalid api key");
  private static final UpstreamError SERVER = UpstreamError.of(Kind.SERVER, 500, "boom");

  private final LocalEndpointHealth shared = new LocalEndpointHealth(
      new RoutingConfig.Health(Duration.ofSeconds(30), 2, Duration.ofSeconds(30), Duration.ofMinutes(5)),
      InstantSource.system());
  private final AttemptHealth health = new AttemptHealth(shared);

  @Test
  void anAccountsOwnKeyFailingDoesNotOpenTheEndpointForEveryone() {
    Attempt operator = attempt();
    Attempt byok = new Attempt(operator.model(), operator.endpoint(), withAuth(operator.provider(),
        new UpstreamAuth.Byok(new UpstreamAuth.Bearer(Secret.of("sk-customer")))));

    for (int i = 0; i < 5; i++) {
      assertThat(health.tryAcquire(byok)).isTrue();
      health.record(byok, i % 2 == 0 ? REVOKED : SERVER);
    }
    assertThat(shared.snapshot(operator.id()).circuit()).isEqualTo("closed");
    assertThat(health.tryAcquire(operator)).isTrue();

    health.record(operator, SERVER);
    health.record(operator, SERVER);
    assertThat(shared.snapshot(operator.id()).circuit()).isEqualTo("open");
    assertThat(health.tryAcquire(operator)).isFalse();
    assertThat(health.tryAcquire(byok)).as("an account's own key is not held back by the shared circuit").isTrue();
  }

  private static Attempt attempt() {
    RoutePlan plan = PlannerFixture.planner().plan(PlannerFixture.request("acme/chat",
        PlannerFixture.prefs(List.of("cheap"), List.of("cheap"), List.of(), false)));
    return plan.attempts().getFirst();
  }

  private static ConfiguredProvider withAuth(ConfiguredProvider provider, UpstreamAuth auth) {
    return new ConfiguredProvider(provider.slug(), provider.adapter(), provider.baseUrl(), auth, provider.timeouts());
  }
}
