package dev.switchboard.http.openai;

import static dev.switchboard.http.openai.JsonFields.bool;
import static dev.switchboard.http.openai.JsonFields.invalid;
import static dev.switchboard.http.openai.JsonFields.object;
import static dev.switchboard.http.openai.JsonFields.string;
import static dev.switchboard.http.openai.JsonFields.strings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.ProviderPreferences.Cutoffs;
import dev.switchboard.core.ProviderPreferences.MaxPrice;
import dev.switchboard.core.RawJson;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads OpenRouter's {@code provider} routing object. Public so that presets in the config, which
 * hold the same object, are read by the same rules.
 */
public final class ProviderPreferencesReader {
  private static final Set<String> READ = Set.of(
      "order", "only", "ignore", "allow_fallbacks", "require_parameters", "data_collection", "sort", "zdr",
      "quantizations", "max_price", "preferred_min_throughput", "preferred_max_latency");
  private static final Set<String> SORTS = Set.of("price", "throughput", "latency", "exacto");
  /** OpenRouter's {@code Quantization} enum. */
  private static final List<String> QUANTIZATIONS = List.of(
      "int4", "int8", "fp4", "mxfp4", "nvfp4", "fp6", "fp8", "mxfp8", "fp16", "bf16", "fp32", "unknown");

  private ProviderPreferencesReader() {}

  public static ProviderPreferences read(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
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
    List<String> quantizations = strings(node, "quantizations", path, false);
    for (String quantization : quantizations) {
      if (!QUANTIZATIONS.contains(quantization)) {
        throw new InvalidRequest("provider.quantizations", "provider.quantizations: '" + quantization
            + "' is not a quantization; expected some of " + QUANTIZATIONS);
      }
    }
    JsonNode sortNode = node.get("sort");
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
        sortBy(sortNode),
        extra,
        Boolean.TRUE.equals(bool(node, "zdr", path)),
        quantizations,
        partition(sortNode),
        maxPrice(object(node, "max_price", path)),
        cutoffs(node, "preferred_min_throughput"),
        cutoffs(node, "preferred_max_latency"));
  }

  /** {@code sort} is a string, or an object {@code {by, partition}}. */
  private static @Nullable String sortBy(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode value = node.isObject() ? node.get("by") : node;
    if (node.isObject() && (value == null || value.isNull())) {
      return null; // {"partition": "none"} alone sorts nothing
    }
    if (value == null || !value.isTextual() || !SORTS.contains(value.textValue())) {
      throw new InvalidRequest("provider.sort",
          "provider.sort must be \"price\", \"throughput\", \"latency\""
              + " or {\"by\": …, \"partition\": \"model\"|\"none\"}");
    }
    return value.textValue();
  }

  private static @Nullable String partition(@Nullable JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    String partition = string(node, "partition", "provider.sort");
    if (partition != null && !partition.equals("model") && !partition.equals("none")) {
      throw new InvalidRequest("provider.sort.partition",
          "provider.sort.partition must be \"model\" or \"none\", got '" + partition + "'");
    }
    return partition;
  }

  private static @Nullable MaxPrice maxPrice(@Nullable JsonNode node) {
    if (node == null) {
      return null;
    }
    String path = "provider.max_price";
    for (var field : node.properties()) {
      if (!Set.of("prompt", "completion", "request", "image", "audio").contains(field.getKey())) {
        throw new InvalidRequest(path + "." + field.getKey(), path + " has no field '" + field.getKey()
            + "'; it takes prompt, completion (USD per million tokens), request, image and audio");
      }
    }
    return new MaxPrice(price(node, "prompt"), price(node, "completion"), price(node, "request"),
        price(node, "image"), price(node, "audio"));
  }

  /**
   * A price as OpenRouter's schema writes it (a string) or as clients often send it (a number),
   * kept exact: a JSON number is read from its text, never through a binary double.
   */
  private static @Nullable BigDecimal price(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    String path = "provider.max_price";
    if (!node.isTextual() && !node.isNumber()) {
      throw invalid(path, field, "must be a price in USD (a number or a decimal string)", node);
    }
    BigDecimal value;
    try {
      value = node.isBigDecimal() ? node.decimalValue() : new BigDecimal(node.asText().trim());
    } catch (NumberFormatException e) {
      throw invalid(path, field, "must be a price in USD (a number or a decimal string)", node);
    }
    if (value.signum() < 0) {
      throw new InvalidRequest(path + "." + field, path + "." + field + " must not be negative, got " + value);
    }
    return value;
  }

  /** A bare number (the p50 threshold) or {@code {p50, p75, p90, p99}}. */
  private static @Nullable Cutoffs cutoffs(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    String path = "provider." + field;
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return Cutoffs.p50(nonNegative(node, path));
    }
    if (!node.isObject()) {
      throw invalid("provider", field, "must be a number or an object {p50, p75, p90, p99}", node);
    }
    for (var entry : node.properties()) {
      if (!Set.of("p50", "p75", "p90", "p99").contains(entry.getKey())) {
        throw new InvalidRequest(path + "." + entry.getKey(),
            path + " takes only p50, p75, p90 and p99, not '" + entry.getKey() + "'");
      }
    }
    return new Cutoffs(percentile(node, "p50", path), percentile(node, "p75", path),
        percentile(node, "p90", path), percentile(node, "p99", path));
  }

  private static @Nullable Double percentile(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw invalid(path, field, "must be a number", node);
    }
    return nonNegative(node, path + "." + field);
  }

  private static double nonNegative(JsonNode node, String path) {
    double value = node.doubleValue();
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new InvalidRequest(path, path + " must be a non-negative number, got " + node);
    }
    return value;
  }
}
