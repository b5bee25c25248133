package dev.switchboard.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.Architecture;
import dev.switchboard.catalog.DataPolicy;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfiles;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.routing.Attempt;
import dev.switchboard.routing.AttemptOutcome;
import dev.switchboard.routing.Delivery;
import dev.switchboard.store.ActivityRow;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationRepository;
import dev.switchboard.store.GenerationWriter;
import dev.switchboard.store.TestStores;
import dev.switchboard.store.WriteBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  private static final Endpoint ENDPOINT = new Endpoint("acme/chat", "acme", "chat",
      Pricing.of(BigDecimal.ONE, BigDecimal.ONE), 8192, null, null, DataPolicy.UNKNOWN, List.of());
  private static final Attempt ATTEMPT = new Attempt(
      new ModelEntry("acme/chat", "acme/chat", "Chat", 0, "", 8192, Architecture.TEXT, List.of(), List.of(ENDPOINT),
          List.of()),
      ENDPOINT,
      new ConfiguredProvider("acme", new OpenAiCompatAdapter(OpenAiCompatProfiles.load().generic("acme",
          "http://127.0.0.1:9/v1")), "http://127.0.0.1:9/v1", new UpstreamAuth.None(), TimeoutConfig.DEFAULTS));
  private static final String LABELS = "model=\"acme/chat\",";

  private final GatewayMetrics metrics = GatewayMetrics.create();

  @Test
  void cancelledAttemptsAreNotFailuresAndAbandonedAnswersAreCancelledRequests() {
    long start = System.nanoTime();
    metrics.attempted(new AttemptOutcome(ATTEMPT, 5, UpstreamError.of(UpstreamError.Kind.CANCELLED, 0, "gone"), start));
    AttemptOutcome served = new AttemptOutcome(ATTEMPT, 20, null, start);
    metrics.attempted(served);
    metrics.delivered(new Delivery(List.of(served), true, start + 30_000_000, start + 90_000_000, Usage.of(10, 6),
        new BigDecimal("0.25"), null, true));

    String text = metrics.scrape();
    assertThat(text)
        .contains("switchboard_attempts_total{" + LABELS + "outcome=\"failure\",provider=\"acme\"} 0")
        .contains("switchboard_attempts_total{" + LABELS + "outcome=\"success\",provider=\"acme\"} 1")
        .contains("switchboard_requests_total{" + LABELS + "outcome=\"cancelled\",provider=\"acme\"} 1")
        .contains("switchboard_time_to_first_token_seconds_sum{" + LABELS + "provider=\"acme\"} 0.03")
        .contains("switchboard_request_duration_seconds_sum{" + LABELS + "provider=\"acme\"} 0.09")
        .contains("switchboard_tokens_total{" + LABELS + "provider=\"acme\",type=\"prompt\"} 10")
        .contains("switchboard_cost_usd_total{" + LABELS + "provider=\"acme\"} 0.25")
        .doesNotContain("switchboard_upstream_failures_total{");
  }

  @Test
  void aRequestThatCouldNotBeTriedAnywhereIsCountedUnderNone() {
    metrics.failed(List.of(), new GatewayException.NoEndpointAvailable("all open", java.util.Map.of()));

    assertThat(metrics.scrape())
        .contains("switchboard_requests_total{model=\"none\",outcome=\"error\",provider=\"none\"} 1");
  }

  @Test
  void theGenerationWritersCommitsWritesAndQueueAreReadAtEachScrape() throws Exception {
    GenerationWriter writer = GenerationWriter.create(new AcceptingRepository());
    metrics.bindWriter(writer);
    assertThat(metrics.scrape()).contains("switchboard_generation_writer_writes_total 0.0");

    writer.submit(TestStores.record("gen-1", TestStores.KEY_HASH, 10, Instant.EPOCH)).get();
    writer.submit(TestStores.record("gen-2", TestStores.KEY_HASH, 10, Instant.EPOCH)).get();
    writer.close();

    assertThat(metrics.scrape())
        .contains("switchboard_generation_writer_commits_total 2.0")
        .contains("switchboard_generation_writer_writes_total 2.0")
        .contains("switchboard_generation_writer_pending 0.0");
  }

  /** Takes every batch and stores nothing: only the writer's counting is under test. */
  private static final class AcceptingRepository implements GenerationRepository {
    @Override
    public Set<String> commit(WriteBatch batch) {
      return Set.of();
    }

    @Override
    public Optional<GenerationRecord> find(String id) {
      return Optional.empty();
    }

    @Override
    public long usageSince(String keyHash, Instant since) {
      return 0;
    }

    @Override
    public List<ActivityRow> activity(LocalDate from, LocalDate to, @Nullable String keyHash) {
      return List.of();
    }
  }
}
