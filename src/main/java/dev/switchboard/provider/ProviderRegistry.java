package dev.switchboard.provider;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The providers switched on in this gateway, by slug. Immutable, thread-safe. */
public final class ProviderRegistry {
  private final Map<String, ConfiguredProvider> bySlug;

  private ProviderRegistry(Map<String, ConfiguredProvider> bySlug) {
    this.bySlug = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bySlug));
  }

  public static ProviderRegistry of(List<ConfiguredProvider> providers) {
    Map<String, ConfiguredProvider> map = new LinkedHashMap<>();
    for (ConfiguredProvider provider : providers) {
      if (map.put(provider.slug(), provider) != null) {
        throw new IllegalArgumentException("provider '" + provider.slug() + "' is configured twice");
      }
    }
    return new ProviderRegistry(map);
  }

  public Optional<ConfiguredProvider> find(String slug) {
    return Optional.ofNullable(bySlug.get(slug));
  }

  public Collection<ConfiguredProvider> all() {
    return bySlug.values();
  }

  public java.util.Set<String> slugs() {
    return bySlug.keySet();
  }
}
