package dev.switchboard.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the {@code limits:} and {@code redis:} sections of the config file. */
final class ClusterSections {
  private static final Set<String> RATE_FIELDS = Set.of("requests_per_minute", "tokens_per_minute");

  private ClusterSections() {}

  static LimitsConfig limits(@Nullable ConfigNode node) {
    if (node == null) {
      return LimitsConfig.NONE;
    }
    node.allowOnly(Set.of("key", "account", "models"));
    Map<String, LimitsConfig.ModelLimits> models = new LinkedHashMap<>();
    for (var entry : node.entries("models")) {
      ConfigNode model = entry.getValue();
      model.allowOnly(Set.of("key", "account"));
      models.put(entry.getKey(), new LimitsConfig.ModelLimits(rate(model, "key"), rate(model, "account")));
    }
    return new LimitsConfig(rate(node, "key"), rate(node, "account"), models);
  }

  private static LimitsConfig.Rate rate(ConfigNode parent, String field) {
    ConfigNode node = parent.object(field);
    if (node == null) {
      return LimitsConfig.Rate.NONE;
    }
    node.allowOnly(RATE_FIELDS);
    Long requests = node.longValue("requests_per_minute");
    Long tokens = node.longValue("tokens_per_minute");
    return parent.read(field, n -> new LimitsConfig.Rate(requests, tokens));
  }

  static RedisConfig redis(@Nullable ConfigNode node) {
    if (node == null) {
      return RedisConfig.NONE;
    }
    node.allowOnly(Set.of("url", "prefix", "timeout"));
    String url = node.string("url");
    if (url != null && !url.isBlank() && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw node.error("url", "redis url must start with redis:// or rediss:// (e.g. redis://127.0.0.1:6379)");
    }
    String prefix = node.string("prefix", RedisConfig.DEFAULT_PREFIX);
    return node.read("timeout", n -> new RedisConfig(url == null || url.isBlank() ? null : Secret.of(url), prefix,
        n.duration("timeout", RedisConfig.DEFAULT_TIMEOUT)));
  }
}
