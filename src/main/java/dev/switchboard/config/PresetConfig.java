package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.RawJson;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A preset ({@code presets:} in the config file): routing and parameter defaults a request picks
 * with {@code "model": "@preset/SLUG"}, {@code "model": "author/model@preset/SLUG"} or {@code
 * "preset": "SLUG"}. What the request sets wins.
 *
 * @param slug the key under {@code presets:}
 * @param model the model when the request names only the preset
 * @param models fallback models when the request gives none
 * @param provider OpenRouter's {@code provider} object, as JSON, read by the same rules as a request's
 * @param systemPrompt a system message put first when the request has none
 */
public record PresetConfig(
    String slug,
    @Nullable String model,
    List<String> models,
    @Nullable RawJson provider,
    @Nullable String systemPrompt,
    @Nullable Double temperature,
    @Nullable Double topP,
    @Nullable Integer maxTokens,
    @Nullable Long seed,
    List<String> stop) {
  public PresetConfig {
    requireNonNull(slug, "slug");
    models = List.copyOf(models);
    stop = List.copyOf(stop);
  }
}
