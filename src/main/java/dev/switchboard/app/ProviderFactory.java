package dev.switchboard.app;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.azure.AzureOpenAiAdapter;
import dev.switchboard.provider.bedrock.BedrockAdapter;
import dev.switchboard.provider.openai.OpenAiAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfiles;
import dev.switchboard.provider.transport.UpstreamAuth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns provider config into {@link ConfiguredProvider}s: picks the adapter for each
 * {@code kind}, merges the built-in profile with the operator's overrides, and resolves the
 * credential. With no {@code providers:} section, switches on every built-in provider whose key
 * (or base URL, for local servers) is in the environment.
 */
final class ProviderFactory {
  /** Every config {@code kind:} this build has an adapter for. */
  static final Set<String> KINDS = kinds();

  private static Set<String> kinds() {
    var kinds = new java.util.TreeSet<>(
        List.of(OpenAiAdapter.KIND, OpenAiCompatAdapter.KIND, AzureOpenAiAdapter.KIND, BedrockAdapter.KIND));
    NativeKind.ALL.forEach(k -> kinds.add(k.kind()));
    return Set.copyOf(kinds);
  }

  private final OpenAiCompatProfiles profiles = OpenAiCompatProfiles.load();
  private final Map<String, String> env;

  ProviderFactory(Map<String, String> env) {
    this.env = env;
  }

  List<ConfiguredProvider> fromConfig(Map<String, ProviderConfig> configured) {
    List<ConfiguredProvider> result = new ArrayList<>();
    for (ProviderConfig config : configured.values()) {
      if (config.enabled()) {
        result.add(create(config));
      }
    }
    return result;
  }

  /** The built-in providers whose credentials (or local base URL) the environment provides. */
  List<ConfiguredProvider> fromEnvironment() {
    return fromEnvironment(TimeoutConfig.DEFAULTS);
  }

  /** As {@link #fromEnvironment()}, with these timeouts (the config's {@code routing.timeouts}). */
  List<ConfiguredProvider> fromEnvironment(TimeoutConfig timeouts) {
    List<ConfiguredProvider> result = new ArrayList<>();
    for (OpenAiCompatProfile profile : profiles.all()) {
      String key = profile.apiKeyEnv() == null ? null : env.get(profile.apiKeyEnv());
      String baseUrlOverride = profile.baseUrlEnv() == null ? null : env.get(profile.baseUrlEnv());
      boolean hasKey = key != null && !key.isBlank();
      boolean isLocal = baseUrlOverride != null && !baseUrlOverride.isBlank();
      if (hasKey || isLocal) {
        String kind = profile.slug().equals(OpenAiAdapter.PROFILE) ? OpenAiAdapter.KIND : OpenAiCompatAdapter.KIND;
        result.add(create(new ProviderConfig(profile.slug(), kind, profile.slug(), null,
            key != null && hasKey ? Secret.of(key) : null, Map.of(), timeouts, true)));
      }
    }
    for (NativeKind kind : NativeKind.ALL) {
      if (secretFromEnv(kind.apiKeyEnv()) != null) {
        result.add(create(new ProviderConfig(kind.defaultSlug(), kind.kind(), null, null, null, Map.of(),
            timeouts, true)));
      }
    }
    boolean awsRegion = env.get("AWS_REGION") != null || env.get("AWS_DEFAULT_REGION") != null;
    boolean awsCredentials = secretFromEnv("AWS_BEARER_TOKEN_BEDROCK") != null
        || (env.get("AWS_ACCESS_KEY_ID") != null && secretFromEnv("AWS_SECRET_ACCESS_KEY") != null);
    if (awsRegion && awsCredentials) {
      result.add(create(new ProviderConfig("bedrock", BedrockAdapter.KIND, null, null, null, Map.of(),
          timeouts, true)));
    }
    if (secretFromEnv("AZURE_OPENAI_API_KEY") != null && secretFromEnv("AZURE_OPENAI_ENDPOINT") != null) {
      result.add(create(new ProviderConfig("azure", AzureOpenAiAdapter.KIND, null, null, null, Map.of(),
          timeouts, true)));
    }
    return result;
  }

  private ConfiguredProvider create(ProviderConfig config) {
    return adapt(config).withHttp2(config.http2());
  }

  /** The provider of {@code config}'s kind, over HTTP/1.1. */
  private ConfiguredProvider adapt(ProviderConfig config) {
    if (config.kind().equals(AzureOpenAiAdapter.KIND)) {
      return azure(config);
    }
    if (config.kind().equals(BedrockAdapter.KIND)) {
      return bedrock(config);
    }
    var nativeKind = NativeKind.find(config.kind());
    if (nativeKind.isPresent()) {
      return nativeProvider(config, nativeKind.get());
    }
    OpenAiCompatProfile profile = profile(config);
    ProviderAdapter adapter = switch (config.kind()) {
      case OpenAiAdapter.KIND -> new OpenAiAdapter(profile);
      case OpenAiCompatAdapter.KIND -> new OpenAiCompatAdapter(profile);
      default -> throw new ConfigException("provider '" + config.slug() + "': unknown kind '" + config.kind() + "'");
    };
    return new ConfiguredProvider(config.slug(), adapter, profile.baseUrl(), auth(config, profile),
        config.timeouts());
  }

  /**
   * Azure OpenAI: the resource endpoint and key come from config or from Azure's conventional
   * {@code AZURE_OPENAI_ENDPOINT} and {@code AZURE_OPENAI_API_KEY}.
   */
  private ConfiguredProvider azure(ProviderConfig config) {
    String baseUrl = config.baseUrl() != null ? config.baseUrl() : env.get("AZURE_OPENAI_ENDPOINT");
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new ConfigException("provider '" + config.slug() + "': base_url is required for azure-openai"
          + " (the resource endpoint, for example https://my-resource.openai.azure.com)");
    }
    Secret key = config.apiKey() != null ? config.apiKey() : secretFromEnv("AZURE_OPENAI_API_KEY");
    OpenAiCompatProfile profile = OpenAiAdapter.builtinProfile()
        .withSlug(config.slug(), "Azure OpenAI").withBaseUrl(baseUrl).withHeaders(config.headers());
    String apiVersion = config.apiVersion() != null ? config.apiVersion() : AzureOpenAiAdapter.DEFAULT_API_VERSION;
    return new ConfiguredProvider(config.slug(), new AzureOpenAiAdapter(profile, apiVersion), profile.baseUrl(),
        key == null ? new UpstreamAuth.None() : new UpstreamAuth.Header(AzureOpenAiAdapter.AUTH_HEADER, key),
        config.timeouts());
  }

  private ConfiguredProvider nativeProvider(ProviderConfig config, NativeKind kind) {
    Secret key = config.apiKey() != null ? config.apiKey() : secretFromEnv(kind.apiKeyEnv());
    return new ConfiguredProvider(config.slug(), kind.adapter().get(),
        config.baseUrl() != null ? config.baseUrl() : kind.defaultBaseUrl(),
        key == null ? new UpstreamAuth.None() : new UpstreamAuth.Header(kind.authHeader(), key),
        config.timeouts(), config.headers());
  }

  /**
   * AWS Bedrock: the region from config or {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}; requests
   * are SigV4-signed with the configured or {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
   * (+ {@code AWS_SESSION_TOKEN}) credentials, or carry a Bedrock API key ({@code api_key} or
   * {@code AWS_BEARER_TOKEN_BEDROCK}) as a bearer token.
   */
  private ConfiguredProvider bedrock(ProviderConfig config) {
    String region = config.region() != null ? config.region()
        : env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
    if (region == null || region.isBlank()) {
      throw new ConfigException("provider '" + config.slug() + "': region is required for bedrock"
          + " (for example region: us-east-1, or set AWS_REGION)");
    }
    String baseUrl;
    try {
      baseUrl = config.baseUrl() != null ? config.baseUrl() : BedrockAdapter.baseUrl(region);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("provider '" + config.slug() + "': " + e.getMessage());
    }
    Secret bearer = config.apiKey() != null ? config.apiKey() : secretFromEnv("AWS_BEARER_TOKEN_BEDROCK");
    UpstreamAuth auth;
    if (config.aws() != null) {
      auth = UpstreamAuth.SigV4.bedrock(config.aws().accessKeyId(), config.aws().secretAccessKey(),
          config.aws().sessionToken(), region);
    } else if (bearer != null) {
      auth = new UpstreamAuth.Bearer(bearer);
    } else if (env.get("AWS_ACCESS_KEY_ID") != null && secretFromEnv("AWS_SECRET_ACCESS_KEY") != null) {
      auth = UpstreamAuth.SigV4.bedrock(env.get("AWS_ACCESS_KEY_ID"), secretFromEnv("AWS_SECRET_ACCESS_KEY"),
          secretFromEnv("AWS_SESSION_TOKEN"), region);
    } else {
      throw new ConfigException("provider '" + config.slug() + "': bedrock needs credentials: aws_access_key_id"
          + " and aws_secret_access_key (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), or a Bedrock API key"
          + " (api_key or AWS_BEARER_TOKEN_BEDROCK)");
    }
    return new ConfiguredProvider(config.slug(), BedrockAdapter.create(), baseUrl, auth, config.timeouts(),
        config.headers());
  }

  private @Nullable Secret secretFromEnv(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : Secret.of(value);
  }

  private OpenAiCompatProfile profile(ProviderConfig config) {
    String name = config.profile() != null ? config.profile()
        : config.kind().equals(OpenAiAdapter.KIND) ? OpenAiAdapter.PROFILE : config.slug();
    OpenAiCompatProfile base = profiles.find(name).orElse(null);
    if (base == null) {
      if (config.profile() != null) {
        throw new ConfigException("provider '" + config.slug() + "': no built-in profile named '" + name
            + "'; known profiles: " + profiles.all().stream().map(OpenAiCompatProfile::slug).toList());
      }
      if (config.baseUrl() == null) {
        throw new ConfigException("provider '" + config.slug() + "': base_url is required for a provider"
            + " without a built-in profile (for example http://127.0.0.1:8000/v1)");
      }
      base = profiles.generic(config.slug(), config.baseUrl());
    }
    OpenAiCompatProfile profile = base.withSlug(config.slug(), base.displayName())
        .withBaseUrl(config.baseUrl() != null ? config.baseUrl() : base.resolveBaseUrl(env::get))
        .withHeaders(config.headers());
    return profile;
  }

  private UpstreamAuth auth(ProviderConfig config, OpenAiCompatProfile profile) {
    Secret key = config.apiKey();
    if (key == null && profile.apiKeyEnv() != null) {
      key = secretFromEnv(profile.apiKeyEnv());
    }
    return auth(profile.authStyle(), key);
  }

  private static UpstreamAuth auth(OpenAiCompatProfile.AuthStyle style, @Nullable Secret key) {
    if (key == null) {
      return new UpstreamAuth.None();
    }
    return switch (style) {
      case OpenAiCompatProfile.AuthStyle.Bearer b -> new UpstreamAuth.Bearer(key);
      case OpenAiCompatProfile.AuthStyle.Header(String name) -> new UpstreamAuth.Header(name, key);
      case OpenAiCompatProfile.AuthStyle.None n -> new UpstreamAuth.None();
    };
  }
}
