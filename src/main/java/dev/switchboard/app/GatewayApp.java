package dev.switchboard.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.accounting.Admission;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.catalog.BundledCatalog;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogBuilder;
import dev.switchboard.catalog.ModelEntry;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.PresetConfig;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.http.openai.ProviderPreferencesReader;
import dev.switchboard.core.Principal;
import dev.switchboard.http.GatewayServer;
import dev.switchboard.http.HttpApi;
import dev.switchboard.http.StoreGuard;
import dev.switchboard.keys.IssuedKey;
import dev.switchboard.keys.KeyService;
import dev.switchboard.limits.KeyRateLimits;
import dev.switchboard.cluster.RedisLink;
import dev.switchboard.limits.RateBuckets;
import dev.switchboard.limits.RateLimits;
import dev.switchboard.observability.GatewayMetrics;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.provider.transport.FrameReaders;
import dev.switchboard.provider.transport.UpstreamClient;
import dev.switchboard.routing.AttemptObserver;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.EmbeddingExecutor;
import dev.switchboard.routing.Preset;
import dev.switchboard.routing.Presets;
import dev.switchboard.routing.RoutePlanner;
import dev.switchboard.routing.SessionAffinity;
import dev.switchboard.routing.StatsRecorder;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointStats;
import dev.switchboard.routing.health.LocalEndpointHealth;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.GenerationWriter;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.Money;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The composition root: builds the whole gateway from its config by hand, in one place, and owns
 * its lifecycle. The only class that calls {@code new} on services.
 */
public final class GatewayApp implements AutoCloseable {
  /** The environment variable an operator may set to choose the management key. */
  public static final String ADMIN_KEY_ENV = "SWITCHBOARD_ADMIN_KEY";

  private static final System.Logger LOG = System.getLogger(GatewayApp.class.getName());

  /** How often the store's partitions are extended (PostgreSQL keeps months ready ahead). */
  private static final Duration MAINTENANCE_PERIOD = Duration.ofDays(1);

  /** How often the store's reachability is checked (requests are refused with 503 while it is not). */
  private static final Duration STORE_PROBE_PERIOD = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final Database database;
  private final GenerationWriter writer;
  private final UpstreamClient upstream;
  private final GatewayServer server;
  private final ProviderRegistry providers;
  private final Catalog catalog;
  private final KeyService keys;
  private final @Nullable IssuedKey bootstrapKey;
  private final @Nullable RedisLink redis;

  private GatewayApp(Vertx vertx, Database database, GenerationWriter writer, UpstreamClient upstream,
      GatewayServer server, ProviderRegistry providers, Catalog catalog, KeyService keys,
      @Nullable IssuedKey bootstrapKey, @Nullable RedisLink redis) {
    this.vertx = vertx;
    this.database = database;
    this.writer = writer;
    this.upstream = upstream;
    this.server = server;
    this.providers = providers;
    this.catalog = catalog;
    this.keys = keys;
    this.bootstrapKey = bootstrapKey;
    this.redis = redis;
  }

  /** The config {@code kind:} values this build understands. */
  public static java.util.Set<String> providerKinds() {
    return ProviderFactory.KINDS;
  }

  /** Builds and starts the gateway; returns once it is listening. */
  public static GatewayApp start(GatewayConfig config, Map<String, String> env) {
    ProviderFactory factory = new ProviderFactory(env);
    List<ConfiguredProvider> configured = config.providers().isEmpty()
        ? factory.fromEnvironment(config.routing().timeouts())
        : factory.fromConfig(config.providers());
    ProviderRegistry providers = ProviderRegistry.of(configured);
    Catalog catalog = catalog(config, providers);

    ObjectMapper json = JsonMapper.builder().build();
    // Prompts can be long; Jackson's default 20 MB string limit would reject a legal body.
    json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxStringLength((int) Math.min(Integer.MAX_VALUE, config.server().maxBodyBytes())).build());

    Database database = Database.open(config.storage());
    GenerationWriter writer = GenerationWriter.create(database.generations());
    KeyService keys = new KeyService(database.keys());
    IssuedKey bootstrapKey;
    try {
      bootstrapKey = keys.bootstrapManagementKey(env.get(ADMIN_KEY_ENV)).orElse(null);
    } catch (IllegalArgumentException e) {
      writer.close();
      database.close();
      throw new ConfigException(String.valueOf(e.getMessage()));
    }
    Clock utc = Clock.systemUTC();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    UpstreamClient upstream = new UpstreamClient(vertx, 1024);
    RedisLink redis = null;
    try {
      InstantSource clock = InstantSource.system();
      KeyRateLimits keyRates = new KeyRateLimits(database.dataSource(), KeyService.DEFAULT_CACHE_TTL);
      // With redis.url the hot state is shared by every node (falling back to this node's own while
      // Redis is away); without it, it is this node's alone.
      Cluster cluster = Cluster.of(config, clock);
      redis = cluster.redis();
      var accounts = new HttpApi.Accounts(keys, new StoreCredits(database.ledger(), utc),
          new StoreBudgets(keys, database.ledger(), config.accounting().requireCredits()),
          new Admission(new TokenEstimator(), cluster.reservations()), utc);
      RateBuckets rateBuckets = cluster.rateBuckets();
      java.util.function.Supplier<List<String>> degraded = cluster::degraded;
      EndpointHealth health = cluster.health(new LocalEndpointHealth(config.routing().health(), clock));
      EndpointStats stats = new EndpointStats(clock);
      StoreGuard storeGuard = new StoreGuard(database::isReachable);
      AtomicBoolean probing = new AtomicBoolean();
      vertx.setPeriodic(STORE_PROBE_PERIOD.toMillis(), id -> {
        if (probing.compareAndSet(false, true)) {
          try {
            vertx.executeBlocking(() -> {
              storeGuard.probe();
              return null;
            }, false).onComplete(done -> probing.set(false));
          } catch (java.util.concurrent.RejectedExecutionException closing) {
            probing.set(false); // the worker pool is shutting down with the gateway
          }
        }
      });
      SessionAffinity affinity = new SessionAffinity(cluster.sessionPins(config.routing().sessionTtl()));
      var planner = new RoutePlanner(() -> catalog, providers, new RoutePlanner.Parts(
          health, stats, () -> ThreadLocalRandom.current().nextDouble(), clock, presets(config, json), affinity));
      GatewayMetrics metrics = GatewayMetrics.create();
      var executor = new ChatExecutor(upstream, FrameReaders::forFraming, config.routing(), health,
          AttemptObserver.all(List.of(new StatsRecorder(stats), metrics, affinity)));
      var services = new HttpApi.Services(vertx, config, json, token -> principal(vertx, keys, token),
          () -> catalog, planner, executor, new EmbeddingExecutor(upstream, executor),
          new StoreLedger(writer, database.generations()), new TokenEstimator(), accounts,
          () -> vertx.executeBlocking(database::isReachable).await(),
          new HttpApi.Monitoring(providers, health, stats, metrics::scrape),
          new HttpApi.Limits(new RateLimits(config.limits(), rateBuckets), keyRates, degraded, storeGuard));
      GatewayServer server = new GatewayServer(vertx, config.server(), HttpApi.routes(services), json.getFactory());
      server.start();
      // Database.open made the partitions for now; this keeps them ahead while the process runs.
      vertx.setPeriodic(MAINTENANCE_PERIOD.toMillis(), id -> vertx.executeBlocking(() -> {
        database.ensurePartitions(Instant.now());
        return null;
      }).onFailure(e -> LOG.log(Level.WARNING, "store maintenance failed: {0}", e.getMessage())));
      return new GatewayApp(vertx, database, writer, upstream, server, providers, catalog, keys,
          bootstrapKey, redis);
    } catch (RuntimeException e) {
      if (redis != null) {
        redis.close();
      }
      upstream.close();
      vertx.close().await();
      writer.close();
      database.close();
      throw e;
    }
  }

  /** The config's presets, their {@code provider} objects read by the request rules. */
  private static Presets presets(GatewayConfig config, ObjectMapper json) {
    List<Preset> presets = new ArrayList<>();
    for (PresetConfig preset : config.presets()) {
      ProviderPreferences provider = ProviderPreferences.NONE;
      if (preset.provider() != null) {
        try {
          provider = ProviderPreferencesReader.read(json.readTree(preset.provider().json()));
        } catch (GatewayException | JsonProcessingException e) {
          throw new ConfigException((config.source() == null ? "config" : config.source()) + ": presets."
              + preset.slug() + ".provider: " + e.getMessage());
        }
      }
      presets.add(new Preset(preset.slug(), preset.model(), preset.models(), provider, preset.systemPrompt(),
          preset.temperature(), preset.topP(), preset.maxTokens(), preset.seed(), preset.stop()));
    }
    return new Presets(presets);
  }

  private static Catalog catalog(GatewayConfig config, ProviderRegistry providers) {
    List<ModelEntry> bundled = config.catalog() ? BundledCatalog.load() : List.of();
    try {
      return CatalogBuilder.build(bundled, config.models(), config.providers().isEmpty()
          ? providers.slugs() : config.providers().keySet(), providers.slugs());
    } catch (IllegalArgumentException e) {
      throw new ConfigException((config.source() == null ? "config" : config.source()) + ": " + e.getMessage());
    }
  }

  /**
   * Authenticates on the request's context when the key is cached, else reads the store on a
   * worker thread: blocking JDBC on a Vert.x virtual-thread context would hold up every other
   * request on that context.
   */
  private static Optional<Principal> principal(Vertx vertx, KeyService keys, String token) {
    Optional<ApiKey> cached = keys.authenticateIfCached(token);
    Optional<ApiKey> key = cached != null ? cached : vertx.executeBlocking(() -> keys.authenticate(token)).await();
    return key.map(found -> new Principal(found.hash(), found.label(), found.name(),
        found.accountId(), found.kind() == KeyKind.MANAGEMENT,
        found.limitNanos() == null ? null : Money.toUsd(found.limitNanos())));
  }

  public int port() {
    return server.port();
  }

  public ProviderRegistry providers() {
    return providers;
  }

  public Catalog catalog() {
    return catalog;
  }

  public KeyService keys() {
    return keys;
  }

  /**
   * The management key this start generated because the store had none (and {@value
   * #ADMIN_KEY_ENV} was not set): its plaintext exists only here, to be shown once. Null when no
   * key was generated.
   */
  public @Nullable IssuedKey bootstrapKey() {
    return bootstrapKey;
  }

  /** Stops accepting requests, then flushes pending generation records and closes the store. */
  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    if (redis != null) {
      redis.close();
    }
    upstream.close();
    writer.close();
    database.close();
  }
}
