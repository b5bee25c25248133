package dev.switchboard.app;

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
import dev.switchboard.core.Principal;
import dev.switchboard.http.GatewayServer;
import dev.switchboard.http.HttpApi;
import dev.switchboard.keys.IssuedKey;
import dev.switchboard.keys.KeyService;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.provider.transport.FrameReaders;
import dev.switchboard.provider.transport.UpstreamClient;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.RoutePlanner;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.GenerationWriter;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.Money;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The composition root: builds the whole gateway from its config by hand, in one place, and owns
 * its lifecycle. The only class that calls {@code new} on services.
 */
public final class GatewayApp implements AutoCloseable {
  /** The environment variable an operator may set to choose the management key. */
  public static final String ADMIN_KEY_ENV = "SWITCHBOARD_ADMIN_KEY";

  private final Vertx vertx;
  private final Database database;
  private final GenerationWriter writer;
  private final UpstreamClient upstream;
  private final GatewayServer server;
  private final ProviderRegistry providers;
  private final Catalog catalog;
  private final KeyService keys;
  private final @Nullable IssuedKey bootstrapKey;

  private GatewayApp(Vertx vertx, Database database, GenerationWriter writer, UpstreamClient upstream,
      GatewayServer server, ProviderRegistry providers, Catalog catalog, KeyService keys,
      @Nullable IssuedKey bootstrapKey) {
    this.vertx = vertx;
    this.database = database;
    this.writer = writer;
    this.upstream = upstream;
    this.server = server;
    this.providers = providers;
    this.catalog = catalog;
    this.keys = keys;
    this.bootstrapKey = bootstrapKey;
  }

  /** The config {@code kind:} values this build understands. */
  public static java.util.Set<String> providerKinds() {
    return ProviderFactory.KINDS;
  }

  /** Builds and starts the gateway; returns once it is listening. */
  public static GatewayApp start(GatewayConfig config, Map<String, String> env) {
    ProviderFactory factory = new ProviderFactory(env);
    List<ConfiguredProvider> configured = config.providers().isEmpty()
        ? factory.fromEnvironment()
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
      throw new ConfigException(e.getMessage());
    }
    Clock clock = Clock.systemUTC();
    var accounts = new HttpApi.Accounts(keys, new StoreCredits(database.ledger(), clock),
        new StoreBudgets(keys, database.ledger(), config.accounting().requireCredits()),
        new Admission(new TokenEstimator()), clock);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    UpstreamClient upstream = new UpstreamClient(vertx, 1024);
    try {
      var services = new HttpApi.Services(vertx, config, json, token -> principal(vertx, keys, token),
          () -> catalog, new RoutePlanner(() -> catalog, providers),
          new ChatExecutor(upstream, FrameReaders::forFraming),
          new StoreLedger(writer, database.generations()), new TokenEstimator(), accounts,
          () -> vertx.executeBlocking(database::isReachable).await());
      GatewayServer server = new GatewayServer(vertx, config.server(), HttpApi.routes(services), json.getFactory());
      server.start();
      return new GatewayApp(vertx, database, writer, upstream, server, providers, catalog, keys,
          bootstrapKey);
    } catch (RuntimeException e) {
      upstream.close();
      vertx.close().await();
      writer.close();
      database.close();
      throw e;
    }
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
    upstream.close();
    writer.close();
    database.close();
  }
}
