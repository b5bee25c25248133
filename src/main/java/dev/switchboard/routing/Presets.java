package dev.switchboard.routing;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The configured {@link Preset}s, and how one is merged under a request: OpenRouter's rule that
 * request fields override preset fields, field by field. In {@code provider}, a list or value the
 * request sets replaces the preset's; the booleans can only tighten ({@code allow_fallbacks: false}
 * or {@code require_parameters}/{@code zdr: true} from either side hold), because a request that
 * leaves them out cannot be told apart from one that sets their defaults.
 *
 * <p>Tools merge by name: the preset's tools are offered too, and a request's tool of the same name
 * replaces the preset's; {@code tool_choice} is the request's when it sets one.
 *
 * <p>Two sources: the config file's presets, fixed at start, and those created through the API
 * ({@code POST /api/v1/presets}), a snapshot {@link #replaceStored replaced} whenever they change.
 * A config preset's slug cannot be taken by a stored one. Thread-safe: requests read an immutable
 * map through a volatile field.
 */
public final class Presets {
  public static final Presets NONE = new Presets(List.of());
  private static final String PREFIX = "@preset/";

  private final Map<String, Preset> configured;
  private volatile Map<String, Preset> stored = Map.of();

  /** @param presets the config file's presets */
  public Presets(List<Preset> presets) {
    this.configured = bySlug(presets);
  }

  private static Map<String, Preset> bySlug(List<Preset> presets) {
    Map<String, Preset> map = new LinkedHashMap<>();
    for (Preset preset : presets) {
      map.put(preset.slug(), preset);
    }
    return Map.copyOf(map);
  }

  /** Whether {@code slug} is a config file preset (read-only through the API). */
  public boolean configured(String slug) {
    return configured.containsKey(slug);
  }

  /** Replaces the API-created presets; one of a config preset's slug is ignored. */
  public void replaceStored(List<Preset> presets) {
    Map<String, Preset> map = new LinkedHashMap<>(bySlug(presets));
    map.keySet().removeAll(configured.keySet());
    this.stored = Map.copyOf(map);
  }

  /** The preset with this slug, from the config file or the API. */
  public java.util.Optional<Preset> find(String slug) {
    Preset preset = configured.get(slug);
    return java.util.Optional.ofNullable(preset != null ? preset : stored.get(slug));
  }

  /** {@code request} with its preset's defaults merged under it, or as it is when it names none. */
  public ChatRequest apply(ChatRequest request) {
    String model = request.model();
    String slug = null;
    int at = model.indexOf(PREFIX);
    if (at >= 0) {
      slug = model.substring(at + PREFIX.length());
      model = model.substring(0, at);
    }
    Map<String, RawJson> extra = request.extra();
    RawJson field = extra.get("preset");
    if (field != null) {
      // "preset" steers the gateway and must not reach an upstream.
      extra = new HashMap<>(extra);
      extra.remove("preset");
      String named = field.json().length() >= 2 && field.json().startsWith("\"")
          ? field.json().substring(1, field.json().length() - 1) : null;
      if (named == null || named.isBlank()) {
        throw new GatewayException.InvalidRequest("preset", "preset must be the slug of a preset, as a string");
      }
      slug = slug == null ? named : slug;
    }
    if (slug == null) {
      return request;
    }
    Preset preset = find(slug).orElse(null);
    if (preset == null) {
      java.util.TreeSet<String> known = new java.util.TreeSet<>(configured.keySet());
      known.addAll(stored.keySet());
      throw new GatewayException.NotFound("preset '" + slug + "' is not defined on this gateway"
          + (known.isEmpty() ? " (it has no presets)" : "; it has " + List.copyOf(known)));
    }
    List<String> fallbacks = request.fallbackModels().isEmpty() ? preset.models() : request.fallbackModels();
    if (model.isEmpty()) {
      model = preset.model() != null ? preset.model() : fallbacks.isEmpty() ? "" : fallbacks.getFirst();
      if (model.isEmpty()) {
        throw new GatewayException.InvalidRequest("model",
            "preset '" + slug + "' names no model; name one in the request, e.g. \"author/model@preset/" + slug + "\"");
      }
      String first = model;
      fallbacks = fallbacks.stream().filter(m -> !m.equals(first)).toList();
    }
    return new ChatRequest(model, fallbacks, messages(request.messages(), preset.systemPrompt()),
        tools(preset.tools(), request.tools()), or(request.toolChoice(), preset.toolChoice()),
        request.parallelToolCalls(), request.responseFormat(),
        or(request.temperature(), preset.temperature()), or(request.topP(), preset.topP()),
        or(request.seed(), preset.seed()), or(request.maxTokens(), preset.maxTokens()),
        request.stop().isEmpty() ? preset.stop() : request.stop(), request.logprobs(), request.topLogprobs(),
        request.user(), request.stream(), request.streamUsage(), merge(preset.provider(), request.provider()),
        extra, request.sessionId());
  }

  private static List<Message> messages(List<Message> messages, @Nullable String systemPrompt) {
    if (systemPrompt == null
        || messages.stream().anyMatch(m -> m.role() == Role.SYSTEM || m.role() == Role.DEVELOPER)) {
      return messages;
    }
    List<Message> result = new ArrayList<>(messages.size() + 1);
    result.add(Message.text(Role.SYSTEM, systemPrompt));
    result.addAll(messages);
    return result;
  }

  /** The request's tools, then the preset's whose names the request does not use. */
  static List<ToolSpec> tools(List<ToolSpec> preset, List<ToolSpec> request) {
    if (preset.isEmpty()) {
      return request;
    }
    java.util.Set<String> named = new java.util.HashSet<>();
    request.forEach(tool -> named.add(tool.name()));
    List<ToolSpec> merged = new ArrayList<>(request);
    for (ToolSpec tool : preset) {
      if (!named.contains(tool.name())) {
        merged.add(tool);
      }
    }
    return merged;
  }

  /** {@code over} (the request's) field by field over {@code base} (the preset's). */
  static ProviderPreferences merge(ProviderPreferences base, ProviderPreferences over) {
    Map<String, RawJson> extra = new LinkedHashMap<>(base.extra());
    extra.putAll(over.extra());
    return new ProviderPreferences(
        or(over.order(), base.order()), or(over.only(), base.only()), or(over.ignore(), base.ignore()),
        over.allowFallbacks() && base.allowFallbacks(), over.requireParameters() || base.requireParameters(),
        or(over.dataCollection(), base.dataCollection()), or(over.sort(), base.sort()), extra,
        over.zdr() || base.zdr(), or(over.quantizations(), base.quantizations()),
        or(over.sortPartition(), base.sortPartition()), or(over.maxPrice(), base.maxPrice()),
        or(over.preferredMinThroughput(), base.preferredMinThroughput()),
        or(over.preferredMaxLatency(), base.preferredMaxLatency()));
  }

  private static <T> List<T> or(List<T> over, List<T> base) {
    return over.isEmpty() ? base : over;
  }

  private static <T> @Nullable T or(@Nullable T over, @Nullable T base) {
    return over != null ? over : base;
  }
}
