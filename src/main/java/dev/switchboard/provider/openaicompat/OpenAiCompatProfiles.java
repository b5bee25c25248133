package dev.switchboard.provider.openaicompat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile.AuthStyle;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile.Quirk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A set of {@link OpenAiCompatProfile}s read from YAML: the built-in {@code profiles.yaml}
 * ({@link #load()}), or an operator's file of the same shape ({@link #parse(String)}).
 *
 * <p>The file has a {@code defaults} block and a {@code profiles} list; each profile starts from
 * the defaults and replaces the fields it names. Unknown keys are errors, so a typo in a quirk or a
 * field name fails at startup instead of silently doing nothing. Immutable and thread-safe.
 */
public final class OpenAiCompatProfiles {
  private static final String RESOURCE = "profiles.yaml";
  private static final Set<String> KEYS =
      Set.of(
          "slug", "display_name", "base_url", "api_key_env", "base_url_env", "auth", "auth_header",
          "api_key_optional", "param_renames", "unsupported_params", "stream_usage_option", "quirks",
          "headers");

  private final ObjectNode defaults;
  private final Map<String, OpenAiCompatProfile> bySlug;

  private OpenAiCompatProfiles(ObjectNode defaults, Map<String, OpenAiCompatProfile> bySlug) {
    this.defaults = defaults;
    this.bySlug = bySlug;
  }

  /** The built-in profiles shipped in the jar. Parsed once per JVM. */
  public static OpenAiCompatProfiles load() {
    return Builtin.PROFILES;
  }

  /**
   * Parses profiles from YAML text.
   *
   * @throws IllegalArgumentException naming the profile and field at fault
   */
  public static OpenAiCompatProfiles parse(String yaml) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("openai-compatible profiles are not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("openai-compatible profiles: expected a mapping with 'profiles'");
    }
    ObjectNode defaults =
        root.get("defaults") instanceof ObjectNode given ? given : JsonNodeFactory.instance.objectNode();
    checkKeys("defaults", defaults);
    JsonNode list = root.path("profiles");
    if (!list.isArray()) {
      throw new IllegalArgumentException("openai-compatible profiles: 'profiles' must be a list");
    }
    var bySlug = new LinkedHashMap<String, OpenAiCompatProfile>();
    for (JsonNode entry : list) {
      if (!entry.isObject()) {
        throw new IllegalArgumentException("openai-compatible profiles: every entry must be a mapping, got " + entry);
      }
      OpenAiCompatProfile profile = build(defaults, (ObjectNode) entry);
      if (bySlug.putIfAbsent(profile.slug(), profile) != null) {
        throw new IllegalArgumentException("openai-compatible profile '" + profile.slug() + "' is defined twice");
      }
    }
    return new OpenAiCompatProfiles(defaults, Map.copyOf(bySlug));
  }

  /** The profile with this slug (case-insensitive), if there is one. */
  public Optional<OpenAiCompatProfile> find(String slug) {
    return Optional.ofNullable(bySlug.get(slug.toLowerCase(Locale.ROOT)));
  }

  /** Every profile, sorted by slug. */
  public List<OpenAiCompatProfile> all() {
    var all = new ArrayList<>(bySlug.values());
    all.sort((a, b) -> a.slug().compareTo(b.slug()));
    return List.copyOf(all);
  }

  /**
   * A profile for a compatible server that has no entry of its own: the defaults block (generic
   * compatible behaviour) under the given slug and base URL.
   */
  public OpenAiCompatProfile generic(String slug, String baseUrl) {
    ObjectNode entry = defaults.objectNode();
    entry.put("slug", slug);
    entry.put("display_name", slug);
    entry.put("base_url", baseUrl);
    return build(defaults, entry);
  }

  private static OpenAiCompatProfile build(ObjectNode defaults, ObjectNode entry) {
    String where = "openai-compatible profile '" + entry.path("slug").asText("?") + "'";
    checkKeys(where, entry);
    ObjectNode merged = defaults.deepCopy();
    merged.setAll(entry);
    String slug = requiredText(where, merged, "slug").toLowerCase(Locale.ROOT);
    String authName = optionalText(merged, "auth");
    AuthStyle auth =
        switch (authName == null ? "bearer" : authName.toLowerCase(Locale.ROOT)) {
          case "bearer" -> new AuthStyle.Bearer();
          case "none" -> new AuthStyle.None();
          case "header" -> new AuthStyle.Header(requiredText(where, merged, "auth_header"));
          default ->
              throw new IllegalArgumentException(
                  where + ": auth must be bearer, header or none, was '" + authName + "'");
        };
    var quirks = new LinkedHashSet<Quirk>();
    for (String name : stringList(where, merged, "quirks")) {
      try {
        quirks.add(Quirk.valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": unknown quirk '" + name + "'", e);
      }
    }
    return new OpenAiCompatProfile(
        slug,
        requiredText(where, merged, "display_name"),
        requiredText(where, merged, "base_url"),
        optionalText(merged, "api_key_env"),
        optionalText(merged, "base_url_env"),
        auth,
        merged.path("api_key_optional").asBoolean(false),
        stringMap(where, merged, "param_renames"),
        Set.copyOf(stringList(where, merged, "unsupported_params")),
        merged.path("stream_usage_option").asBoolean(true),
        quirks,
        stringMap(where, merged, "headers"));
  }

  private static void checkKeys(String where, ObjectNode node) {
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        throw new IllegalArgumentException(where + ": unknown field '" + name + "'");
      }
    }
  }

  private static String requiredText(String where, JsonNode node, String field) {
    String value = optionalText(node, field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(where + ": '" + field + "' is required");
    }
    return value;
  }

  private static @Nullable String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static List<String> stringList(String where, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a list");
    }
    var items = new ArrayList<String>();
    value.forEach(item -> items.add(item.asText()));
    return items;
  }

  private static Map<String, String> stringMap(String where, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a mapping");
    }
    var map = new LinkedHashMap<String, String>();
    value.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /** Lazy holder: the built-in file is parsed on first use, once. */
  private static final class Builtin {
    static final OpenAiCompatProfiles PROFILES = readBuiltin();

    private static OpenAiCompatProfiles readBuiltin() {
      try (InputStream in = OpenAiCompatProfiles.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("built-in resource " + RESOURCE + " is missing from the classpath");
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read built-in " + RESOURCE, e);
      }
    }
  }
}
