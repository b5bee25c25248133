package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The whole configuration, loaded once at start-up and never mutated.
 *
 * @param providers configured providers by slug, in file order
 * @param catalog whether to start from the bundled default catalog (default true)
 * @param accounting credits and spending caps
 * @param source the file it came from; null when running on defaults
 * @param routing retries, deadline, default timeouts, endpoint health
 * @param presets stored routing and parameter defaults, in file order
 * @param limits rate limits per key, account and model
 * @param redis shared state for a cluster of nodes; {@link RedisConfig#NONE} keeps it in process
 */
public record GatewayConfig(
    ServerConfig server,
    StorageConfig storage,
    Map<String, ProviderConfig> providers,
    List<ModelConfig> models,
    boolean catalog,
    LoggingConfig logging,
    AccountingConfig accounting,
    @Nullable String source,
    RoutingConfig routing,
    List<PresetConfig> presets,
    LimitsConfig limits,
    RedisConfig redis) {
  public GatewayConfig {
    requireNonNull(server, "server");
    requireNonNull(storage, "storage");
    providers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(providers));
    models = List.copyOf(models);
    requireNonNull(logging, "logging");
    requireNonNull(accounting, "accounting");
    requireNonNull(routing, "routing");
    presets = List.copyOf(presets);
    requireNonNull(limits, "limits");
    requireNonNull(redis, "redis");
  }

  /** A config with the default accounting and routing settings and no presets. */
  public GatewayConfig(ServerConfig server, StorageConfig storage, Map<String, ProviderConfig> providers,
      List<ModelConfig> models, boolean catalog, LoggingConfig logging, @Nullable String source) {
    this(server, storage, providers, models, catalog, logging, AccountingConfig.DEFAULTS, source,
        RoutingConfig.DEFAULTS, List.of(), LimitsConfig.NONE, RedisConfig.NONE);
  }
}
