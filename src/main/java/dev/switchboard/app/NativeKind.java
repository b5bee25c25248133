package dev.switchboard.app;

import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.anthropic.AnthropicAdapter;
import dev.switchboard.provider.gemini.GeminiAdapter;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A native (non-OpenAI) protocol the gateway speaks: its adapter, where its API is, how it takes
 * its key, and the slug and environment variable that switch it on without a config file.
 *
 * @param defaultSlug the provider slug the bundled catalog uses for this vendor's endpoints
 * @param authHeader the header the key goes in (the whole value, no scheme)
 */
record NativeKind(
    String kind,
    String defaultSlug,
    String defaultBaseUrl,
    String apiKeyEnv,
    String authHeader,
    Supplier<ProviderAdapter> adapter) {

  static final List<NativeKind> ALL = List.of(
      new NativeKind(AnthropicAdapter.KIND, "anthropic", AnthropicAdapter.DEFAULT_BASE_URL,
          AnthropicAdapter.API_KEY_ENV, AnthropicAdapter.AUTH_HEADER, AnthropicAdapter::create),
      new NativeKind(GeminiAdapter.KIND, "google", GeminiAdapter.BASE_URL,
          GeminiAdapter.API_KEY_ENV, GeminiAdapter.AUTH_HEADER, GeminiAdapter::create));

  static Optional<NativeKind> find(String kind) {
    return ALL.stream().filter(k -> k.kind.equals(kind)).findFirst();
  }
}
