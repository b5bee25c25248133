package dev.switchboard.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Stored routing and parameter defaults, chosen by {@code "model": "@preset/slug"}, {@code
 * "model": "author/model@preset/slug"} or {@code "preset": "slug"}. Every field is a default: what
 * the request sets wins (see {@link Presets}).
 *
 * @param model the model when the request names only the preset
 * @param models fallback models when the request gives none
 * @param provider routing preferences under the request's
 * @param systemPrompt a system message put first when the request has none
 * @param tools tools offered with every request; a request's tool of the same name wins
 * @param toolChoice the tool choice when the request gives none
 */
public record Preset(
    String slug,
    @Nullable String model,
    List<String> models,
    ProviderPreferences provider,
    @Nullable String systemPrompt,
    @Nullable Double temperature,
    @Nullable Double topP,
    @Nullable Integer maxTokens,
    @Nullable Long seed,
    List<String> stop,
    List<ToolSpec> tools,
    @Nullable ToolChoice toolChoice) {
  public Preset {
    requireNonNull(slug, "slug");
    models = List.copyOf(models);
    requireNonNull(provider, "provider");
    stop = List.copyOf(stop);
    tools = List.copyOf(tools);
  }

  /** A preset without tools (what the config file can define). */
  public Preset(String slug, @Nullable String model, List<String> models, ProviderPreferences provider,
      @Nullable String systemPrompt, @Nullable Double temperature, @Nullable Double topP,
      @Nullable Integer maxTokens, @Nullable Long seed, List<String> stop) {
    this(slug, model, models, provider, systemPrompt, temperature, topP, maxTokens, seed, stop, List.of(), null);
  }
}
