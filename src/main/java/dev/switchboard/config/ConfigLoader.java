package dev.switchboard.config;

import dev.switchboard.core.Pricing;
import dev.switchboard.core.RawJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Loads the optional YAML config file into a validated {@link GatewayConfig}.
 *
 * <p>Strict on purpose: an unknown key, a wrong type or an unknown provider kind stops start-up
 * with {@code FILE:LINE: what is wrong (at path)}, because a silently ignored typo in a gateway
 * config means traffic going somewhere the operator did not intend.
 */
public final class ConfigLoader {
  private static final Set<String> TOP_LEVEL =
      Set.of("server", "storage", "providers", "models", "catalog", "logging", "accounting", "routing",
          "presets", "secrets", "limits", "redis");

  private final Set<String> knownKinds;
  private final Map<String, String> env;
  private final List<String> warnings = new ArrayList<>();

  /**
   * @param knownKinds the provider {@code kind:} values the running build has adapters for
   * @param env the environment used for {@code ${VAR}} interpolation
   */
  public ConfigLoader(Set<String> knownKinds, Map<String, String> env) {
    this.knownKinds = Set.copyOf(knownKinds);
    this.env = Map.copyOf(env);
  }

  /** Problems that did not stop loading (for example unset environment variables). */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The configuration with every default: what {@code switchboard serve} runs without a file. */
  public static GatewayConfig defaults() {
    return new GatewayConfig(
        ServerConfig.DEFAULTS, StorageConfig.DEFAULTS, Map.of(), List.of(), true,
        LoggingConfig.DEFAULTS, AccountingConfig.DEFAULTS, null, RoutingConfig.DEFAULTS, List.of(),
        LimitsConfig.NONE, RedisConfig.NONE);
  }

  /** Loads {@code file}, or the defaults when it is null. */
  public GatewayConfig load(@Nullable Path file) {
    if (file == null) {
      return defaults();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /** Parses config text; {@code name} is used in error messages. */
  public GatewayConfig parse(String name, String text) {
    LocatedYaml yaml = LocatedYaml.parse(name, text);
    ConfigNode root = ConfigNode.root(new ConfigNode.Context(name, yaml, env, warnings));
    root.allowOnly(TOP_LEVEL);
    RoutingConfig routing = routing(root.object("routing"));
    return new GatewayConfig(
        server(root.object("server")),
        storage(root.object("storage")),
        providers(root, routing.timeouts()),
        models(root),
        catalog(root.object("catalog")),
        logging(root.object("logging")),
        accounting(root.object("accounting"), root.object("secrets")),
        name,
        routing,
        presets(root),
        ClusterSections.limits(root.object("limits")),
        ClusterSections.redis(root.object("redis")));
  }

  private static List<PresetConfig> presets(ConfigNode root) {
    List<PresetConfig> result = new ArrayList<>();
    for (var entry : root.entries("presets")) {
      String slug = entry.getKey();
      ConfigNode node = entry.getValue();
      if (!slug.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw node.error("", "preset name '" + slug + "' must be letters, digits, '.', '_' or '-'");
      }
      node.allowOnly(Set.of("model", "models", "provider", "system_prompt", "temperature", "top_p", "max_tokens",
          "seed", "stop"));
      List<String> models = node.strings("models");
      List<String> stop = node.strings("stop");
      String provider = node.json("provider");
      Integer maxTokens = node.integer("max_tokens");
      if (maxTokens != null && maxTokens < 1) {
        throw node.error("max_tokens", "'max_tokens' must be at least 1, not " + maxTokens);
      }
      result.add(new PresetConfig(slug, node.string("model"), models == null ? List.of() : models,
          provider == null ? null : new RawJson(provider), node.string("system_prompt"),
          node.number("temperature", 0, 2), node.number("top_p", 0, 1), maxTokens, node.longValue("seed"),
          stop == null ? List.of() : stop));
    }
    return result;
  }

  private static RoutingConfig routing(@Nullable ConfigNode node) {
    if (node == null) {
      return RoutingConfig.DEFAULTS;
    }
    node.allowOnly(Set.of("max_attempts", "deadline", "session_ttl", "timeouts", "health", "stream_resume",
        "hedging"));
    RoutingConfig d = RoutingConfig.DEFAULTS;
    Duration deadline = node.duration("deadline", d.deadline());
    if (deadline.isZero()) {
      throw node.error("deadline", "'deadline' must be longer than 0s");
    }
    return new RoutingConfig(
        node.integer("max_attempts", d.maxAttempts(), 1, 100),
        deadline,
        node.duration("session_ttl", d.sessionTtl()),
        timeouts(node.object("timeouts"), TimeoutConfig.DEFAULTS),
        health(node.object("health")),
        streamResume(node.object("stream_resume")),
        hedging(node.object("hedging")));
  }

  private static RoutingConfig.StreamResume streamResume(@Nullable ConfigNode node) {
    RoutingConfig.StreamResume d = RoutingConfig.StreamResume.DEFAULTS;
    if (node == null) {
      return d;
    }
    node.allowOnly(Set.of("enabled", "max_resumes"));
    return new RoutingConfig.StreamResume(node.bool("enabled", d.enabled()),
        node.integer("max_resumes", d.maxResumes(), 0, 10));
  }

  /** {@code delay} is a duration ({@code 2s}) or a percentile of time to first token ({@code p95}). */
  private static RoutingConfig.Hedging hedging(@Nullable ConfigNode node) {
    RoutingConfig.Hedging d = RoutingConfig.Hedging.DEFAULTS;
    if (node == null) {
      return d;
    }
    node.allowOnly(Set.of("enabled", "delay", "fallback_delay"));
    boolean enabled = node.bool("enabled", d.enabled());
    String delay = node.string("delay");
    Double percentile = null;
    Duration fixed = node.duration("fallback_delay", d.delay());
    if (delay != null && delay.trim().matches("[pP][0-9]+(\\.[0-9]+)?")) {
      percentile = Double.valueOf(delay.trim().substring(1));
      if (percentile < 50 || percentile >= 100) {
        throw node.error("delay", "'delay' as a percentile must be p50 to p99.9, not '" + delay + "'");
      }
    } else {
      if (node.has("fallback_delay")) {
        throw node.error("fallback_delay", "'fallback_delay' only applies when 'delay' is a percentile such as p95");
      }
      fixed = node.duration("delay", d.delay());
    }
    if (fixed.isZero()) {
      throw node.error(percentile == null ? "delay" : "fallback_delay", "the hedging delay must be longer than 0s");
    }
    return new RoutingConfig.Hedging(enabled, fixed, percentile);
  }

  private static RoutingConfig.Health health(@Nullable ConfigNode node) {
    RoutingConfig.Health d = RoutingConfig.Health.DEFAULTS;
    if (node == null) {
      return d;
    }
    node.allowOnly(Set.of("window", "breaker_failures", "breaker_cooldown", "max_retry_after"));
    Duration window = node.duration("window", d.window());
    if (window.isZero()) {
      throw node.error("window", "'window' must be longer than 0s");
    }
    return new RoutingConfig.Health(window,
        node.integer("breaker_failures", d.breakerFailures(), 0, 10_000),
        node.duration("breaker_cooldown", d.breakerCooldown()),
        node.duration("max_retry_after", d.maxRetryAfter()));
  }

  private static ServerConfig server(@Nullable ConfigNode node) {
    if (node == null) {
      return ServerConfig.DEFAULTS;
    }
    node.allowOnly(Set.of("host", "port", "max_body_size", "instances", "timing_header"));
    return new ServerConfig(
        node.string("host", ServerConfig.DEFAULT_HOST),
        node.integer("port", ServerConfig.DEFAULT_PORT, 0, 65535),
        node.bytes("max_body_size", ServerConfig.DEFAULT_MAX_BODY_BYTES),
        node.integer("instances", ServerConfig.DEFAULT_INSTANCES, 1, 256),
        node.bool("timing_header", true));
  }

  private StorageConfig storage(@Nullable ConfigNode node) {
    if (node == null) {
      return StorageConfig.DEFAULTS;
    }
    node.allowOnly(Set.of("url"));
    StorageConfig storage = new StorageConfig(node.string("url", StorageConfig.DEFAULT_URL));
    if (storage.isPostgres()) {
      try {
        PostgresUrl.parse(storage.url(), env); // shape only: the server is reached at start-up
      } catch (IllegalArgumentException e) {
        throw node.error("url", String.valueOf(e.getMessage()));
      }
    } else if (!storage.isSqlite()) {
      throw node.error("url", "storage url must start with sqlite: (for example sqlite:./data/switchboard.db)"
          + " or postgresql:// (for example postgresql://switchboard@127.0.0.1:5432/switchboard), not '"
          + storage.redactedUrl() + "'");
    }
    return storage;
  }

  private Map<String, ProviderConfig> providers(ConfigNode root, TimeoutConfig defaultTimeouts) {
    Map<String, ProviderConfig> result = new LinkedHashMap<>();
    for (var entry : root.entries("providers")) {
      String slug = entry.getKey();
      ConfigNode node = entry.getValue();
      if (!slug.matches("[a-z0-9][a-z0-9._-]*")) {
        throw node.error("", "provider name '" + slug + "' must be lower-case letters, digits, '.', '_' or '-'");
      }
      node.allowOnly(Set.of("kind", "profile", "base_url", "api_key", "headers", "timeouts", "enabled",
          "api_version", "region", "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "http2"));
      String kind = node.requireString("kind");
      if (!knownKinds.contains(kind)) {
        throw node.error("kind", "unknown provider kind '" + kind + "'; expected one of "
            + knownKinds.stream().sorted().toList());
      }
      String baseUrl = node.string("base_url");
      if (baseUrl != null && !baseUrl.isBlank() && !baseUrl.matches("https?://.+")) {
        throw node.error("base_url", "base_url must be an http:// or https:// URL, not '" + baseUrl + "'");
      }
      String apiKey = node.string("api_key");
      result.put(slug, new ProviderConfig(
          slug, kind, node.string("profile"), blankToNull(baseUrl),
          apiKey == null || apiKey.isBlank() ? null : Secret.of(apiKey),
          node.stringMap("headers"), timeouts(node.object("timeouts"), defaultTimeouts), node.bool("enabled", true),
          node.string("api_version"), node.string("region"), aws(node), node.bool("http2", false)));
    }
    return result;
  }

  private static ProviderConfig.@Nullable AwsCredentials aws(ConfigNode node) {
    String keyId = node.string("aws_access_key_id");
    String secret = node.string("aws_secret_access_key");
    if ((keyId == null || keyId.isBlank()) && (secret == null || secret.isBlank())) {
      return null;
    }
    if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
      throw node.error(keyId == null || keyId.isBlank() ? "aws_access_key_id" : "aws_secret_access_key",
          "aws_access_key_id and aws_secret_access_key go together: set both or neither");
    }
    String token = node.string("aws_session_token");
    return new ProviderConfig.AwsCredentials(keyId, Secret.of(secret),
        token == null || token.isBlank() ? null : Secret.of(token));
  }

  /** Timeouts; each one not set is taken from {@code d} (a provider's from {@code routing.timeouts}). */
  private static TimeoutConfig timeouts(@Nullable ConfigNode node, TimeoutConfig d) {
    if (node == null) {
      return d;
    }
    node.allowOnly(Set.of("connect", "first_byte", "idle"));
    return new TimeoutConfig(
        node.duration("connect", d.connect()),
        node.duration("first_byte", d.firstByte()),
        node.duration("idle", d.idle()));
  }

  private static List<ModelConfig> models(ConfigNode root) {
    List<ModelConfig> result = new ArrayList<>();
    for (ConfigNode node : root.objects("models")) {
      node.allowOnly(Set.of("id", "name", "description", "context_length", "endpoints", "aliases", "disabled",
          "output_modalities"));
      String id = node.requireString("id");
      if (!id.contains("/")) {
        throw node.error("id", "model id '" + id + "' must have the form author/slug, for example acme/my-model");
      }
      List<EndpointConfig> endpoints = new ArrayList<>();
      for (ConfigNode endpoint : node.objects("endpoints")) {
        endpoints.add(endpoint(endpoint));
      }
      List<String> aliases = node.strings("aliases");
      result.add(new ModelConfig(
          id, node.string("name"), node.string("description"), node.integer("context_length"),
          endpoints, aliases == null ? List.of() : aliases, node.bool("disabled", false),
          node.strings("output_modalities")));
    }
    return result;
  }

  private static EndpointConfig endpoint(ConfigNode node) {
    node.allowOnly(Set.of("provider", "model", "pricing", "context_length", "max_completion_tokens",
        "supported_parameters", "disabled"));
    ConfigNode pricing = node.object("pricing");
    return new EndpointConfig(
        node.requireString("provider"),
        node.string("model"),
        pricing == null ? null : pricing.read("", ConfigLoader::pricing),
        node.integer("context_length"),
        node.integer("max_completion_tokens"),
        node.strings("supported_parameters"),
        node.bool("disabled", false));
  }

  private static Pricing pricing(ConfigNode node) {
    node.allowOnly(Set.of("prompt", "completion", "cache_read", "cache_write", "reasoning", "request", "image"));
    BigDecimal prompt = node.decimal("prompt");
    BigDecimal completion = node.decimal("completion");
    return new Pricing(
        prompt == null ? BigDecimal.ZERO : prompt,
        completion == null ? BigDecimal.ZERO : completion,
        node.decimal("cache_read"), node.decimal("cache_write"), node.decimal("reasoning"),
        node.decimal("request"), node.decimal("image"));
  }

  private static boolean catalog(@Nullable ConfigNode node) {
    if (node == null) {
      return true;
    }
    node.allowOnly(Set.of("bundled"));
    return node.bool("bundled", true);
  }

  private static LoggingConfig logging(@Nullable ConfigNode node) {
    if (node == null) {
      return LoggingConfig.DEFAULTS;
    }
    node.allowOnly(Set.of("level", "requests", "bodies"));
    String level = node.string("level", LoggingConfig.DEFAULTS.level());
    if (!Set.of("debug", "info", "warn", "error").contains(level)) {
      throw node.error("level", "logging level must be one of debug, info, warn, error, not '" + level + "'");
    }
    return new LoggingConfig(level, node.bool("requests", true), node.bool("bodies", false));
  }

  private static AccountingConfig accounting(@Nullable ConfigNode node, @Nullable ConfigNode secrets) {
    String masterKeyFile = null;
    if (secrets != null) {
      secrets.allowOnly(Set.of("master_key_file"));
      masterKeyFile = blankToNull(secrets.string("master_key_file"));
    }
    if (node == null) {
      return masterKeyFile == null ? AccountingConfig.DEFAULTS : new AccountingConfig(
          AccountingConfig.DEFAULT_REQUIRE_CREDITS, AccountingConfig.DEFAULT_BYOK_FEE,
          AccountingConfig.DEFAULT_NODE_LEASE, masterKeyFile);
    }
    node.allowOnly(Set.of("require_credits", "byok_fee", "node_lease"));
    BigDecimal fee = node.decimal("byok_fee");
    if (fee != null && (fee.signum() < 0 || fee.compareTo(BigDecimal.ONE) > 0)) {
      throw node.error("byok_fee", "byok_fee is the share of the price charged for BYOK requests, from 0 to 1"
          + " (0.05 is 5%), not " + fee.toPlainString());
    }
    Duration lease = node.duration("node_lease", AccountingConfig.DEFAULT_NODE_LEASE);
    if (lease.toMillis() < 300) {
      throw node.error("node_lease", "node_lease must be at least 300ms, not " + lease);
    }
    return new AccountingConfig(
        node.bool("require_credits", AccountingConfig.DEFAULT_REQUIRE_CREDITS),
        fee == null ? AccountingConfig.DEFAULT_BYOK_FEE : fee, lease, masterKeyFile);
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
