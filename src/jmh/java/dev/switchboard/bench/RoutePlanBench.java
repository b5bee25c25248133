package dev.switchboard.bench;

import dev.switchboard.catalog.Architecture;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.DataPolicy;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.Role;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfiles;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.routing.RoutePlan;
import dev.switchboard.routing.RoutePlanner;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning a route over a catalog of 500 models, each served by 3 of 8 configured providers at
 * different prices: the default weighted draw, and with a fallback model list plus provider
 * preferences (order, ignore, price sort).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RoutePlanBench {
  static final int MODELS = 500;
  static final List<String> PROVIDERS = List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7");

  private RoutePlanner planner;
  private ChatRequest simple;
  private ChatRequest withPreferences;

  @Setup
  public void setUp() {
    List<ModelEntry> models = new ArrayList<>();
    for (int m = 0; m < MODELS; m++) {
      String id = "author" + (m % 40) + "/model-" + m;
      List<Endpoint> endpoints = new ArrayList<>();
      for (int e = 0; e < 3; e++) {
        String slug = PROVIDERS.get((m + e * 3) % PROVIDERS.size());
        endpoints.add(new Endpoint(id, slug, "model-" + m,
            Pricing.of(new BigDecimal("0.00000" + (e + 1)), new BigDecimal("0.00000" + (e + 2))), 128_000, null,
            null, new DataPolicy(false, e == 0, e == 2), List.of("tools", "temperature", "max_tokens")));
      }
      models.add(new ModelEntry(id, "Model " + m, "", 0, "", 128_000, Architecture.TEXT,
          List.of("tools", "temperature", "max_tokens"), endpoints, List.of()));
    }
    Catalog catalog = Catalog.of(models);
    OpenAiCompatProfiles profiles = OpenAiCompatProfiles.load();
    ProviderRegistry registry = ProviderRegistry.of(PROVIDERS.stream().map(slug -> {
      String url = "http://127.0.0.1:9/" + slug + "/v1";
      return new ConfiguredProvider(slug, new OpenAiCompatAdapter(profiles.generic(slug, url)), url,
          new UpstreamAuth.None(), TimeoutConfig.DEFAULTS);
    }).toList());
    planner = new RoutePlanner(() -> catalog, registry);
    simple = request("author7/model-247", List.of(), ProviderPreferences.NONE);
    withPreferences = request("author7/model-247", List.of("author8/model-248", "author9/model-249"),
        new ProviderPreferences(List.of("p3", "p1"), List.of(), List.of("p6"), true, false, null, "price", Map.of()));
  }

  @Benchmark
  public RoutePlan plan() {
    return planner.plan(simple);
  }

  @Benchmark
  public RoutePlan planWithFallbacksAndPreferences() {
    return planner.plan(withPreferences);
  }

  private static ChatRequest request(String model, List<String> fallbacks, ProviderPreferences prefs) {
    return new ChatRequest(model, fallbacks, List.of(Message.text(Role.USER, "hi")), List.of(), null, null, null,
        null, null, null, null, List.of(), null, null, null, false, false, prefs, Map.of());
  }
}
