package dev.switchboard.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.accounting.Admission;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.byok.ByokVault;
import dev.switchboard.byok.MasterKey;
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
import dev.switchboard.http.StoredPresets;
import dev.switchboard.http.openai.PresetReader;
import dev.switchboard.http.StoreGuard;
import dev.switchboard.keys.IssuedKey;
import dev.switchboard.keys.KeyService;
import dev.switchboard.limits.KeyRateLimits;
import dev.switchboard.cluster.RedisEndpointStats;
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
import dev.switchboard.store.JournalFiles;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.Money;
import dev.switchboard.store.NodeJournal;
import dev.switchboard.store.ProviderCredentials;
import dev.switchboard.store.StoreException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The composition root: builds the whole gateway from its config by hand, in one place, and owns
 * its lifecycle. The only class that calls {@code new} on services.
 */
public final class GatewayApp implements AutoCloseable {
  /** The environment variable an operator may set to choose the management key. */
  public static final String ADMIN_KEY_ENV = "SWITCHBOARD_ADMIN_KEY";

  /** The environment variable that names this node for crash recovery (default: host:port). */
  public static final String NODE_NAME_ENV = "SWITCHBOARD_NODE_NAME";

  private static final System.Logger LOG = System.getLogger(GatewayApp.class.getName());

  /** How often the store's partitions are extended (PostgreSQL keeps months ready ahead). */
  private static final Duration MAINTENANCE_PERIOD = Duration.ofDays(1);

  /** How long after the server listens the tokenizer starts loading in the background. */
  private static final Duration TOKENIZER_PRELOAD_DELAY = Duration.ofSeconds(2);

  /** How often presets stored through the API are re-read (other nodes may have changed them). */
  private static final Duration PRESET_REFRESH = Duration.ofSeconds(10);
  /** How long requests in progress may take to finish once a shutdown begins; streams are cut after it. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  /** How long cut requests may take to settle their generations after the grace. */
  static final Duration SHUTDOWN_SETTLE = Duration.ofSeconds(3);
  /** How long Vert.x may take to close its event loops and worker pools. */
  private static final Duration VERTX_CLOSE_LIMIT = Duration.ofSeconds(5);

  /** How often the store's reachability is checked (requests are refused with 503 while it is not). */
  private static final Duration STORE_PROBE_PERIOD = Duration.ofSeconds(1);
  /**
   * How long admission reuses a key's caps read from the store (two row reads and a worker-thread hop
   * per capped request otherwise). Only without Redis: there the reservations' marks live in this
   * process, so a reused read stays exact about every charge settled here (see {@code Admission}); with
   * Redis the marks of a read could come from Redis and a reservation fall back to the node's own, and
   * the shared caps are what a cluster is for, so they are read for every request.
   */
  private static final Duration CAPS_TTL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final Database database;
  private final GenerationWriter writer;
  private final UpstreamClient upstream;
  private final GatewayServer server;
  private final ProviderRegistry providers;
  private final Catalog catalog;
  private final KeyService keys;
  private final NodeJournal journal;
  private final @Nullable IssuedKey bootstrapKey;
  private final @Nullable RedisLink redis;

  private GatewayApp(Vertx vertx, Database database, GenerationWriter writer, UpstreamClient upstream,
      GatewayServer server, ProviderRegistry providers, Catalog catalog, KeyService keys,
      NodeJournal journal, @Nullable IssuedKey bootstrapKey, @Nullable RedisLink redis) {
    this.vertx = vertx;
    this.database = database;
    this.writer = writer;
    this.upstream = upstream;
    this.server = server;
    this.providers = providers;
    this.catalog = catalog;
    this.keys = keys;
    this.journal = journal;
    this.bootstrapKey = bootstrapKey;
    this.redis = redis;
  }

  /** The config {@code kind:} values this build understands. */
  public static java.util.Set<String> providerKinds() {
    return ProviderFactory.KINDS;
  }

  /** Builds and starts the gateway; returns once it is listening. */
  public static GatewayApp start(GatewayConfig config, Map<String, String> env) {
    // The store (pool, schema check, crash recovery) opens on a thread of its own while this one
    // builds the providers and starts Vert.x; neither needs the other.
    CompletableFuture<Store> opening = CompletableFuture.supplyAsync(() -> Store.open(config, env),
        task -> Thread.ofPlatform().name("store-open").start(task));
    // So is the bundled catalog read (700 KB of JSON, the largest single item of start-up's CPU);
    // in parallel, readiness came ~90 ms sooner on a 2-core VM (docs/performance.md, round 7).
    CompletableFuture<List<ModelEntry>> bundled = config.catalog()
        ? CompletableFuture.supplyAsync(BundledCatalog::load, task -> Thread.ofPlatform().name("catalog-read").start(task))
        : CompletableFuture.completedFuture(List.of());
    ProviderRegistry providers;
    ObjectMapper json;
    try {
      ProviderFactory factory = new ProviderFactory(env);
      List<ConfiguredProvider> configured = config.providers().isEmpty()
          ? factory.fromEnvironment(config.routing().timeouts())
          : factory.fromConfig(config.providers());
      providers = ProviderRegistry.of(configured);
      json = JsonMapper.builder().build();
      // Prompts can be long; Jackson's default 20 MB string limit would reject a legal body.
      json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength((int) Math.min(Integer.MAX_VALUE, config.server().maxBodyBytes())).build());
    } catch (RuntimeException e) {
      opening.thenAccept(Store::close);
      throw e;
    }
    // Nothing here serves files, so Vert.x's class-path file cache (a temporary folder made at every
    // start, ~25 ms of it on a small VM) is off.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false)
        .setFileSystemOptions(new FileSystemOptions()
            .setClassPathResolvingEnabled(false)
            .setFileCachingEnabled(false)));
    UpstreamClient upstream = new UpstreamClient(vertx, UpstreamClient.MAX_CONNECTIONS_PER_HOST);
    Catalog catalog;
    Store store;
    try {
      catalog = catalog(config, providers, joined(bundled));
      store = Store.await(opening);
    } catch (RuntimeException e) {
      opening.thenAccept(Store::close);
      upstream.close();
      vertx.close().await();
      throw e;
    }
    Database database = store.database();
    GenerationWriter writer = store.writer();
    NodeJournal journal = store.journal();
    KeyService keys = new KeyService(database.keys());
    IssuedKey bootstrapKey;
    Optional<MasterKey> masterKey;
    try {
      // Only once the config is known to be good: the key is shown once, by the caller.
      bootstrapKey = keys.bootstrapManagementKey(env.get(ADMIN_KEY_ENV)).orElse(null);
      masterKey = MasterKey.load(env, config.accounting().masterKeyFile());
    } catch (IllegalArgumentException | StoreException e) {
      upstream.close();
      vertx.close().await();
      store.close();
      throw e instanceof IllegalArgumentException ? new ConfigException(String.valueOf(e.getMessage())) : e;
    }
    Clock utc = Clock.systemUTC();
    AtomicBoolean recovered = new AtomicBoolean();
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
          new Admission(new TokenEstimator(), cluster.reservations(),
              cluster.redis() == null ? CAPS_TTL : Duration.ZERO), utc,
          new ByokVault(new ProviderCredentials(database.dataSource()), masterKey, InstantSource.system()));
      RateBuckets rateBuckets = cluster.rateBuckets();
      java.util.function.Supplier<List<String>> degraded = cluster::degraded;
      EndpointHealth health = cluster.health(new LocalEndpointHealth(config.routing().health(), clock));
      EndpointStats stats = new EndpointStats(clock);
      // With Redis, every node's statistics include the others' (at most a period or two behind).
      RedisEndpointStats statsSharing = cluster.statsSharing(stats, journal.name());
      if (statsSharing != null) {
        everyOnWorker(vertx, RedisEndpointStats.PERIOD, statsSharing::sync);
      }
      StoreGuard storeGuard = new StoreGuard(database::isReachable);
      everyOnWorker(vertx, STORE_PROBE_PERIOD, storeGuard::probe);
      SessionAffinity affinity = new SessionAffinity(cluster.sessionPins(config.routing().sessionTtl()));
      Presets presets = presets(config, json);
      var storedPresets = new StoredPresets(database.presets(), new PresetReader(json), presets);
      storedPresets.refresh();
      var planner = new RoutePlanner(() -> catalog, providers, new RoutePlanner.Parts(
          health, stats, () -> ThreadLocalRandom.current().nextDouble(), clock, presets, affinity));
      GatewayMetrics metrics = GatewayMetrics.create();
      metrics.bindWriter(writer);
      var executor = new ChatExecutor(upstream, FrameReaders::forFraming, config.routing(), health,
          AttemptObserver.all(List.of(new StatsRecorder(stats), metrics, affinity)), stats);
      var services = new HttpApi.Services(vertx, config, json, token -> principal(vertx, keys, token),
          () -> catalog, planner, executor, new EmbeddingExecutor(upstream, executor),
          new StoreLedger(writer, database.generations(), journal.id()), new TokenEstimator(), accounts,
          // Not ready until what an earlier life of this node left in flight is recovered.
          () -> recovered.get() && vertx.executeBlocking(database::isReachable).await(),
          new HttpApi.Monitoring(providers, health, stats, metrics::scrape), storedPresets,
          new HttpApi.Limits(new RateLimits(config.limits(), rateBuckets), keyRates, degraded, storeGuard));
      GatewayServer server = new GatewayServer(vertx, config.server(), HttpApi.routes(services), json.getFactory());
      server.start();
      // The tokenizer (most of a second of CPU, and its ~40 MB of tables cost young collections of
      // tens of milliseconds each) loads a little after start-up rather than competing with it and
      // with the first readiness probes for the cores: loaded at once, it held readiness back by
      // ~200 ms on a 2-core VM (docs/performance.md, round 7). Only admission of a capped key or
      // account, and usage estimates, need it; a request that needs it sooner loads it and waits.
      vertx.setTimer(TOKENIZER_PRELOAD_DELAY.toMillis(), id -> TokenEstimator.preload());
      // This process now holds the node's port, so an earlier process under the same name is gone:
      // what it left in flight is recovered now, not when its lease would have expired.
      if (journal.retireEarlierLives() > 0) {
        journal.recoverOrphans(Instant.now());
      }
      recovered.set(true);
      long beat = Math.max(100, config.accounting().nodeLease().toMillis() / 3);
      vertx.setPeriodic(beat, id -> vertx.executeBlocking(() -> {
        Instant now = Instant.now();
        journal.heartbeat(now);
        journal.recoverOrphans(now);
        return null;
      }).onFailure(e -> LOG.log(Level.WARNING, "node heartbeat or recovery failed: {0}", e.getMessage())));
      // Presets created through another node's API reach this one within the period.
      vertx.setPeriodic(PRESET_REFRESH.toMillis(), id -> vertx.executeBlocking(() -> {
        storedPresets.refresh();
        return null;
      }).onFailure(e -> LOG.log(Level.WARNING, "preset refresh failed: {0}", e.getMessage())));
      // Database.open made the partitions for now; this keeps them ahead while the process runs.
      vertx.setPeriodic(MAINTENANCE_PERIOD.toMillis(), id -> vertx.executeBlocking(() -> {
        database.ensurePartitions(Instant.now());
        return null;
      }).onFailure(e -> LOG.log(Level.WARNING, "store maintenance failed: {0}", e.getMessage())));
      return new GatewayApp(vertx, database, writer, upstream, server, providers, catalog, keys, journal,
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

  /**
   * Runs {@code task} on a worker thread every {@code period}, skipping a tick while the previous run
   * is still going (a slow Redis or store must not pile up runs), and nothing once the worker pool
   * is shutting down with the gateway.
   */
  private static void everyOnWorker(Vertx vertx, Duration period, Runnable task) {
    AtomicBoolean running = new AtomicBoolean();
    vertx.setPeriodic(period.toMillis(), id -> {
      if (running.compareAndSet(false, true)) {
        try {
          vertx.executeBlocking(() -> {
            task.run();
            return null;
          }, false).onComplete(done -> running.set(false));
        } catch (RejectedExecutionException closing) {
          running.set(false);
        }
      }
    });
  }

  /** What start-up opens in the store, on a thread of its own. */
  private record Store(Database database, GenerationWriter writer, NodeJournal journal) {
    /**
     * Opens the database and the writer, and settles what nodes whose lease ran out left in flight
     * before this node serves anything.
     */
    static Store open(GatewayConfig config, Map<String, String> env) {
      Database database = Database.open(config.storage());
      GenerationWriter writer = null;
      try {
        Path journalDirectory = database.journalDirectory();
        NodeJournal journal = new NodeJournal(database.dataSource(), database.generations(),
            journalDirectory, nodeName(config, env), config.accounting().nodeLease(), Instant.now());
        // On SQLite the journal is in files (no commit before each request's first attempt); on
        // PostgreSQL in the table, where the other nodes can recover it.
        writer = GenerationWriter.create(database.generations(), journalDirectory == null ? null
            : JournalFiles.open(journalDirectory, journal.id(), JournalFiles.DEFAULT_SEGMENT_BYTES));
        journal.heartbeat(Instant.now());
        journal.recoverOrphans(Instant.now());
        return new Store(database, writer, journal);
      } catch (RuntimeException e) {
        if (writer != null) {
          writer.close();
        }
        database.close();
        throw e instanceof IllegalArgumentException ? new ConfigException(String.valueOf(e.getMessage())) : e;
      }
    }

    /** Waits for {@link #open} on its thread, rethrowing what it threw. */
    static Store await(CompletableFuture<Store> opening) {
      return joined(opening);
    }

    void close() {
      writer.close();
      database.close();
    }
  }

  /**
   * The node's stable name, shared by its successive processes: {@code SWITCHBOARD_NODE_NAME}, else
   * host name and port. With port 0 (tests) no two processes share a port, so the name is unique.
   */
  private static String nodeName(GatewayConfig config, Map<String, String> env) {
    String named = env.get(NODE_NAME_ENV);
    if (named != null && !named.isBlank()) {
      return named.strip();
    }
    String host = env.getOrDefault("HOSTNAME", "");
    if (host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "localhost";
      }
    }
    int port = config.server().port();
    return host + ":" + (port == 0 ? "0-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) : port);
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

  /** The value of a start-up task run on a thread of its own, or what it threw, as it threw it. */
  private static <T> T joined(CompletableFuture<T> task) {
    try {
      return task.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static Catalog catalog(GatewayConfig config, ProviderRegistry providers, List<ModelEntry> bundled) {
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
   * Completes once the store holds every request answered so far (some are answered before their
   * commit): what a direct read of the database waits for to see them, as the read APIs do.
   */
  public CompletableFuture<Void> caughtUp() {
    return writer.caughtUp();
  }

  /**
   * The management key this start generated because the store had none (and {@value
   * #ADMIN_KEY_ENV} was not set): its plaintext exists only here, to be shown once. Null when no
   * key was generated.
   */
  public @Nullable IssuedKey bootstrapKey() {
    return bootstrapKey;
  }

  /**
   * Stops the gateway, each step bounded so a shutdown never hangs: stops accepting connections,
   * gives requests in progress {@link #SHUTDOWN_GRACE} to finish, then cuts the streams still open
   * (each settles its generation as cancelled) and waits up to {@link #SHUTDOWN_SETTLE} for their
   * handlers; then closes Vert.x and the upstream client, flushes pending generation records, ends
   * this node's lease and closes the store. What a handler still running after that leaves in flight
   * is recovered by the next node to look, as after a crash.
   */
  @Override
  public void close() {
    int running = server.shutdown(SHUTDOWN_GRACE, SHUTDOWN_SETTLE);
    if (running > 0) {
      LOG.log(Level.WARNING, "{0} requests were still running {1} s after the shutdown began; what they"
          + " leave in flight is recovered at the next start", running,
          SHUTDOWN_GRACE.plus(SHUTDOWN_SETTLE).toSeconds());
    }
    upstream.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture()
          .get(VERTX_CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "Vert.x did not close within {0} s: {1}", VERTX_CLOSE_LIMIT.toSeconds(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (redis != null) {
      redis.close();
    }
    writer.close();
    try {
      journal.release();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not end the node lease: {0}", e.getMessage());
    }
    database.close();
  }

  /** This node's lease and crash recovery (for tests and operators' tools). */
  public NodeJournal journal() {
    return journal;
  }
}
