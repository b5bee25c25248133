package dev.switchboard.http.openai;

import static dev.switchboard.http.openai.JsonFields.bool;
import static dev.switchboard.http.openai.JsonFields.string;
import static dev.switchboard.http.openai.JsonFields.strings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads OpenRouter's {@code provider} routing object. */
public final class ProviderPreferencesReader {
  private static final Set<String> READ = Set.of(
      "order", "only", "ignore", "allow_fallbacks", "require_parameters", "data_collection", "sort");

  private ProviderPreferencesReader() {}

  public static ProviderPreferences read(@Nullable JsonNode node) {
    if (node == null) {
      return ProviderPreferences.NONE;
    }
    String path = "provider";
    Boolean allowFallbacks = bool(node, "allow_fallbacks", path);
    Boolean requireParameters = bool(node, "require_parameters", path);
    String dataCollection = string(node, "data_collection", path);
    if (dataCollection != null && !dataCollection.equals("allow") && !dataCollection.equals("deny")) {
      throw new InvalidRequest("provider.data_collection",
          "provider.data_collection must be \"allow\" or \"deny\", got '" + dataCollection + "'");
    }
    String sort = sort(node.get("sort"));
    Map<String, RawJson> extra = new LinkedHashMap<>();
    for (var field : node.properties()) {
      if (!READ.contains(field.getKey())) {
        extra.put(field.getKey(), new RawJson(field.getValue().toString()));
      }
    }
    return new ProviderPreferences(
        strings(node, "order", path, false),
        strings(node, "only", path, false),
        strings(node, "ignore", path, false),
        allowFallbacks == null || allowFallbacks,
        Boolean.TRUE.equals(requireParameters),
        dataCollection,
        sort,
        extra);
  }

  /** {@code sort} is a string, or an object with a {@code by} field in newer OpenRouter docs. */
  private static @Nullable String sort(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode value = node.isObject() ? node.get("by") : node;
    if (value == null || !value.isTextual() || !Set.of("price", "throughput", "latency").contains(value.textValue())) {
      throw new InvalidRequest("provider.sort", "provider.sort must be \"price\", \"throughput\" or \"latency\"");
    }
    return value.textValue();
  }
}
