package dev.switchboard.observability;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.routing.AttemptObserver;
import dev.switchboard.routing.AttemptOutcome;
import dev.switchboard.routing.Delivery;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.store.GenerationWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Prometheus metrics, recorded from the attempt loop:
 *
 * <table>
 *   <caption>Meters (labels: model, provider)</caption>
 *   <tr><td>{@code switchboard_requests_total}</td><td>requests by {@code outcome}: success, error
 *       (after the answer started, or every attempt failed), cancelled</td></tr>
 *   <tr><td>{@code switchboard_attempts_total}</td><td>upstream attempts by {@code outcome}: success, failure</td></tr>
 *   <tr><td>{@code switchboard_upstream_failures_total}</td><td>failed attempts by {@code kind}
 *       (connect, timeout, rate_limited, server, …)</td></tr>
 *   <tr><td>{@code switchboard_time_to_first_token_seconds}</td>
 *       <td>histogram, from the serving attempt's start</td></tr>
 *   <tr><td>{@code switchboard_request_duration_seconds}</td>
 *       <td>histogram, from the first attempt to the end of the answer</td></tr>
 *   <tr><td>{@code switchboard_tokens_total}</td><td>billed tokens by {@code type}: prompt, completion</td></tr>
 *   <tr><td>{@code switchboard_cost_usd_total}</td><td>what requests cost, USD</td></tr>
 *   <tr><td>{@code switchboard_stream_resumes_total}</td><td>streams that broke on this endpoint
 *       after they started and were continued on another</td></tr>
 *   <tr><td>{@code switchboard_hedges_lost_total}</td><td>hedged attempts at this endpoint
 *       cancelled because another answered first</td></tr>
 * </table>
 *
 * <p>And the generation writer's ({@link #bindWriter}): {@code
 * switchboard_generation_writer_commits_total} (transactions), {@code
 * switchboard_generation_writer_writes_total} (records and journal rows they carried; the ratio is
 * the group-commit size) and {@code switchboard_generation_writer_pending} (queued, not yet
 * written: a queue that stays long means the store cannot keep up).
 *
 * <p>Cheap on the hot path: each endpoint's meters are registered once and kept in a map, so a
 * request costs a map lookup and a few atomic adds. Histograms have a dozen fixed buckets rather
 * than Micrometer's default seventy, to keep the series count small. Thread-safe.
 */
public final class GatewayMetrics implements AttemptObserver {
  /** For requests that failed before any endpoint could be tried. */
  private static final EndpointId NOWHERE = new EndpointId("none", "none");
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(600)};

  private final PrometheusMeterRegistry registry;
  private final ConcurrentMap<EndpointId, EndpointMeters> meters = new ConcurrentHashMap<>();

  private GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static GatewayMetrics create() {
    return new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Every meter in Prometheus's text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Reports the writer's commits, writes and queue depth, read at each scrape. */
  public void bindWriter(GenerationWriter writer) {
    FunctionCounter.builder("switchboard.generation.writer.commits", writer, GenerationWriter::commits)
        .description("transactions the generation writer committed").register(registry);
    FunctionCounter.builder("switchboard.generation.writer.writes", writer, GenerationWriter::written)
        .description("generation records and journal rows committed").register(registry);
    Gauge.builder("switchboard.generation.writer.pending", writer, GenerationWriter::pending)
        .description("records queued for the generation writer").register(registry);
  }

  /** The registry, for binding further meters. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void attempted(AttemptOutcome outcome) {
    EndpointMeters m = meters(outcome.attempt().id());
    UpstreamError error = outcome.error();
    if (outcome.role() == AttemptOutcome.Role.HEDGE_LOST) {
      m.hedgesLost.increment();
    } else if (error == null) {
      m.attemptSucceeded.increment();
    } else if (error.kind() != UpstreamError.Kind.CANCELLED) {
      m.attemptFailed.increment();
      m.failure(error.kind()).increment();
    }
  }

  @Override
  public void delivered(Delivery delivery) {
    EndpointMeters m = meters(delivery.served().attempt().id());
    (delivery.clientGone() ? m.cancelled : delivery.failure() != null ? m.failed : m.succeeded).increment();
    if (delivery.firstTokenNanos() != null || !delivery.streamed()) {
      m.firstToken.record(delivery.firstTokenMillis(), TimeUnit.MILLISECONDS);
    }
    m.duration.record(delivery.endNanos() - delivery.outcomes().getFirst().startNanos(), TimeUnit.NANOSECONDS);
    Usage usage = delivery.usage();
    if (usage != null) {
      m.promptTokens.increment(usage.promptTokens());
      m.completionTokens.increment(usage.completionTokens());
    }
    if (delivery.cost().signum() > 0) {
      m.cost.increment(delivery.cost().doubleValue());
    }
  }

  /** The broken part of a resumed stream: its tokens and cost count here, its request does not end. */
  @Override
  public void resumed(Delivery broken) {
    EndpointMeters m = meters(broken.served().attempt().id());
    m.resumes.increment();
    Usage usage = broken.usage();
    if (usage != null) {
      m.promptTokens.increment(usage.promptTokens());
      m.completionTokens.increment(usage.completionTokens());
    }
    if (broken.cost().signum() > 0) {
      m.cost.increment(broken.cost().doubleValue());
    }
  }

  @Override
  public void failed(List<AttemptOutcome> outcomes, GatewayException error) {
    meters(outcomes.isEmpty() ? NOWHERE : outcomes.getLast().attempt().id()).failed.increment();
  }

  private EndpointMeters meters(EndpointId id) {
    EndpointMeters m = meters.get(id);
    return m != null ? m : meters.computeIfAbsent(id, EndpointMeters::new);
  }

  /** One endpoint's meters, registered on first use. */
  private final class EndpointMeters {
    final String model;
    final String provider;
    final Counter succeeded;
    final Counter failed;
    final Counter cancelled;
    final Counter attemptSucceeded;
    final Counter attemptFailed;
    final Map<UpstreamError.Kind, Counter> failures = new EnumMap<>(UpstreamError.Kind.class);
    final Timer firstToken;
    final Timer duration;
    final Counter promptTokens;
    final Counter completionTokens;
    final Counter cost;
    final Counter resumes;
    final Counter hedgesLost;

    EndpointMeters(EndpointId id) {
      this.model = id.model();
      this.provider = id.provider();
      succeeded = counter("switchboard.requests", "Requests by how they ended", "outcome", "success");
      failed = counter("switchboard.requests", "Requests by how they ended", "outcome", "error");
      cancelled = counter("switchboard.requests", "Requests by how they ended", "outcome", "cancelled");
      attemptSucceeded = counter("switchboard.attempts", "Upstream attempts by outcome", "outcome", "success");
      attemptFailed = counter("switchboard.attempts", "Upstream attempts by outcome", "outcome", "failure");
      firstToken = timer("switchboard.time.to.first.token", "Time to first token, from the serving attempt's start");
      duration = timer("switchboard.request.duration", "Request duration, to the end of the answer");
      promptTokens = counter("switchboard.tokens", "Billed tokens", "type", "prompt");
      completionTokens = counter("switchboard.tokens", "Billed tokens", "type", "completion");
      cost = Counter.builder("switchboard.cost.usd").description("What requests cost, USD")
          .tags("model", model, "provider", provider).register(registry);
      resumes = Counter.builder("switchboard.stream.resumes")
          .description("Streams that broke here after they started and were continued on another endpoint")
          .tags("model", model, "provider", provider).register(registry);
      hedgesLost = Counter.builder("switchboard.hedges.lost")
          .description("Hedged attempts cancelled because another endpoint answered first")
          .tags("model", model, "provider", provider).register(registry);
    }

    /** Failures by kind; an enum's handful of counters, created as kinds occur. */
    synchronized Counter failure(UpstreamError.Kind kind) {
      return failures.computeIfAbsent(kind, k -> counter("switchboard.upstream.failures",
          "Failed upstream attempts by kind", "kind", k.name().toLowerCase(Locale.ROOT)));
    }

    private Counter counter(String name, String description, String key, String value) {
      return Counter.builder(name).description(description)
          .tags("model", model, "provider", provider, key, value).register(registry);
    }

    private Timer timer(String name, String description) {
      return Timer.builder(name).description(description).tags("model", model, "provider", provider)
          .serviceLevelObjectives(BUCKETS).register(registry);
    }
  }
}
