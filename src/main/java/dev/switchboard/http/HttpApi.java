package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.accounting.Admission;
import dev.switchboard.accounting.Budgets;
import dev.switchboard.accounting.CreditLedger;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.byok.ByokVault;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.http.anthropic.AnthropicChatDialect;
import dev.switchboard.http.anthropic.AnthropicTokenCounter;
import dev.switchboard.http.completions.CompletionsDialect;
import dev.switchboard.http.openai.OpenAiChatDialect;
import dev.switchboard.http.openai.OpenAiEmbeddingsReader;
import dev.switchboard.http.openai.OpenAiEmbeddingsWriter;
import dev.switchboard.http.responses.ResponsesDialect;
import dev.switchboard.keys.KeyService;
import dev.switchboard.limits.KeyRateLimits;
import dev.switchboard.limits.RateLimits;
import dev.switchboard.limits.SettlingLedger;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.EmbeddingExecutor;
import dev.switchboard.routing.RoutePlanner;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointStats;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.InstantSource;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The gateway's HTTP API: every route, under both {@code /api/v1} (OpenRouter) and {@code /v1}
 * (OpenAI, and Anthropic's SDKs, which append {@code /v1/messages} to their base URL).
 */
public final class HttpApi {
  private static final byte[] LIVE = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NOT_READY = "{\"status\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);

  private HttpApi() {}

  /** What the API needs from the rest of the gateway. */
  public record Services(
      Vertx vertx,
      GatewayConfig config,
      ObjectMapper json,
      Authenticator authenticator,
      Supplier<Catalog> catalog,
      RoutePlanner planner,
      ChatExecutor executor,
      EmbeddingExecutor embeddings,
      GenerationLedger ledger,
      TokenEstimator estimator,
      Accounts accounts,
      BooleanSupplier ready,
      Monitoring monitoring,
      StoredPresets presets,
      Limits limits) {}

  /**
   * Rate limits and the cluster's shared state.
   *
   * @param degraded what this node is doing without (e.g. "redis"), empty when nothing: {@code
   *     /health/ready} then still answers 200, with {@code "status":"degraded"}
   */
  public record Limits(RateLimits rates, KeyRateLimits keyRates, Supplier<List<String>> degraded,
      StoreGuard store) {}

  /**
   * What the monitoring routes show.
   *
   * @param metrics the metrics in Prometheus text format, rendered on each call
   */
  public record Monitoring(ProviderRegistry providers, EndpointHealth health, EndpointStats stats,
      Supplier<String> metrics) {
    public static Monitoring none() {
      return new Monitoring(ProviderRegistry.of(List.of()), EndpointHealth.none(),
          new EndpointStats(InstantSource.system()), () -> "");
    }
  }

  /**
   * What the key, credit and activity APIs and admission need.
   *
   * @param clock the UTC clock activity windows are computed on
   */
  public record Accounts(
      KeyService keys, CreditLedger credits, Budgets budgets, Admission admission, Clock clock, ByokVault byok) {}

  public static Routes routes(Services s) {
    JsonFactory factory = s.json().getFactory();
    Auth auth = new Auth(s.authenticator());
    Accounts money = s.accounts();
    // Recording a generation corrects its key's token buckets by what it really used.
    Settlement settlement = new Settlement(new SettlingLedger(s.ledger(), s.limits().rates()), s.estimator(),
        s.config().accounting().byokFee());
    RateLimitGate rateLimits = new RateLimitGate(s.vertx(), s.limits().rates(), s.limits().keyRates(), s.estimator(),
        s.limits().store());
    AccessLog accessLog = new AccessLog(s.config().logging().requests());
    AdmissionGate admission = new AdmissionGate(s.vertx(), money.budgets(), money.admission(), rateLimits);
    ByokPlanner byok = new ByokPlanner(s.vertx(), money.byok());
    ChatHandler chat = new ChatHandler(s.vertx(), auth, new OpenAiChatDialect(s.json()), s.planner(),
        s.executor(), settlement, admission, byok, accessLog);
    AnthropicChatDialect anthropic = new AnthropicChatDialect(s.json());
    ChatHandler messages = new ChatHandler(s.vertx(), auth, anthropic, s.planner(), s.executor(), settlement,
        admission, byok, accessLog);
    AnthropicTokenCounter counter = new AnthropicTokenCounter(anthropic, s.estimator(), s.json());
    Handler countTokens = ex -> {
      ex.useErrorFormat(anthropic::error);
      auth.inference(ex);
      ex.sendJson(200, counter.count(ex.readBody()));
    };
    EmbeddingsHandler embeddings = new EmbeddingsHandler(auth, new OpenAiEmbeddingsReader(s.json()),
        new OpenAiEmbeddingsWriter(factory), s.planner(), s.embeddings(), settlement, admission, byok, rateLimits,
        accessLog);
    ChatHandler responses = new ChatHandler(s.vertx(), auth, new ResponsesDialect(s.json()), s.planner(),
        s.executor(), settlement, admission, byok, accessLog);
    ChatHandler completions = new ChatHandler(s.vertx(), auth, new CompletionsDialect(s.json()), s.planner(),
        s.executor(), settlement, admission, byok, accessLog);
    InfoHandlers info = new InfoHandlers(s.vertx(), s.catalog(), auth, s.ledger(), factory, s.monitoring());
    KeysApi keys = new KeysApi(s.vertx(), auth, money.keys(), money.credits(), s.ledger(),
        s.limits().keyRates(), s.json());
    PresetsApi presets = new PresetsApi(s.vertx(), auth, s.presets(), s.config().presets(), s.json());
    ByokApi byokApi = new ByokApi(s.vertx(), auth, money.byok(), money.credits(), s.monitoring().providers(),
        s.json());
    CreditsApi credits = new CreditsApi(s.vertx(), auth, money.credits(), s.ledger(), money.clock(), s.json());
    Routes routes = new Routes()
        .add(HttpMethod.GET, "/health/live", ex -> ex.sendJson(200, LIVE))
        .add(HttpMethod.GET, "/health/ready", ex -> {
          if (!s.ready().getAsBoolean()) {
            ex.sendJson(503, NOT_READY);
            return;
          }
          // Without Redis a node still serves (with per-node limits): it stays in the balancer.
          List<String> degraded = s.limits().degraded().get();
          ex.sendJson(200, degraded.isEmpty() ? LIVE : JsonOut.write(factory, g -> {
            g.writeStartObject();
            g.writeStringField("status", "degraded");
            g.writeArrayFieldStart("degraded");
            for (String what : degraded) {
              g.writeString(what);
            }
            g.writeEndArray();
            g.writeEndObject();
          }));
        })
        // Prometheus scrapes without credentials; bind the server to a private interface (the
        // default 127.0.0.1) or filter /metrics in front of it when that matters.
        .add(HttpMethod.GET, "/metrics", ex -> ex.response().setStatusCode(200)
            .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
            .end(s.monitoring().metrics().get()));
    for (String prefix : new String[] {"/api/v1", "/v1"}) {
      routes.add(HttpMethod.POST, prefix + "/chat/completions", chat)
          .add(HttpMethod.POST, prefix + "/messages", messages)
          .add(HttpMethod.POST, prefix + "/messages/count_tokens", countTokens)
          .add(HttpMethod.POST, prefix + "/embeddings", embeddings)
          .add(HttpMethod.GET, prefix + "/embeddings/models", info::embeddingModels)
          .add(HttpMethod.POST, prefix + "/responses", responses)
          .add(HttpMethod.POST, prefix + "/completions", completions)
          .add(HttpMethod.GET, prefix + "/models", info::models)
          .add(HttpMethod.GET, prefix + "/models/{author}/{slug}/endpoints", info::endpoints)
          .add(HttpMethod.GET, prefix + "/providers", info::providers)
          .add(HttpMethod.GET, prefix + "/key", keys::current)
          .add(HttpMethod.GET, prefix + "/generation", info::generation)
          .add(HttpMethod.GET, prefix + "/keys", keys::list)
          .add(HttpMethod.POST, prefix + "/keys", changingCaps(money, keys::create))
          .add(HttpMethod.GET, prefix + "/keys/{hash}", keys::get)
          .add(HttpMethod.PATCH, prefix + "/keys/{hash}", changingCaps(money, keys::update))
          .add(HttpMethod.DELETE, prefix + "/keys/{hash}", changingCaps(money, keys::delete))
          .add(HttpMethod.GET, prefix + "/credits", credits::credits)
          .add(HttpMethod.POST, prefix + "/credits", changingCaps(money, credits::grant))
          .add(HttpMethod.GET, prefix + "/activity", credits::activity)
          .add(HttpMethod.GET, prefix + "/presets", presets::list)
          .add(HttpMethod.POST, prefix + "/presets", presets::save)
          .add(HttpMethod.GET, prefix + "/presets/{slug}", presets::get)
          .add(HttpMethod.DELETE, prefix + "/presets/{slug}", presets::delete)
          .add(HttpMethod.GET, prefix + "/byok", byokApi::list)
          .add(HttpMethod.PUT, prefix + "/byok/{provider}", byokApi::put)
          .add(HttpMethod.DELETE, prefix + "/byok/{provider}", byokApi::delete);
    }
    return routes;
  }

  /** A management handler after which admission must read the caps afresh (credits, key limits). */
  private static Handler changingCaps(Accounts money, Handler handler) {
    return exchange -> {
      try {
        handler.handle(exchange);
      } finally {
        money.admission().forgetCaps();
      }
    };
  }
}
