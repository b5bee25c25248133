package dev.switchboard.core;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's {@code provider} object: how the client wants its request routed among the
 * endpoints that serve a model. Provider names are matched case-insensitively against slugs.
 *
 * @param order providers to try first, in this order
 * @param only providers allowed at all; empty means any
 * @param ignore providers never to use
 * @param allowFallbacks whether providers outside {@code order} may be tried after it
 * @param requireParameters only use endpoints that support every parameter in the request
 * @param dataCollection {@code "allow"} or {@code "deny"}; null when not given
 * @param sort {@code "price"}, {@code "throughput"}, {@code "latency"} (or {@code "exacto"}); null
 *     when not given
 * @param extra fields of the object the gateway does not interpret, verbatim
 * @param zdr only endpoints with zero data retention
 * @param quantizations only endpoints with one of these quantizations ({@code "unknown"} admits
 *     endpoints whose quantization is not known); empty means any
 * @param sortPartition {@code "model"} (sort each model's endpoints apart, the default) or {@code
 *     "none"} (sort the endpoints of every fallback model together); null when not given
 * @param maxPrice a hard price ceiling; null when not given
 * @param preferredMinThroughput soft: endpoints slower than this (tokens per second) go last
 * @param preferredMaxLatency soft: endpoints slower to the first token than this (seconds) go last
 */
public record ProviderPreferences(
    List<String> order,
    List<String> only,
    List<String> ignore,
    boolean allowFallbacks,
    boolean requireParameters,
    @Nullable String dataCollection,
    @Nullable String sort,
    Map<String, RawJson> extra,
    boolean zdr,
    List<String> quantizations,
    @Nullable String sortPartition,
    @Nullable MaxPrice maxPrice,
    @Nullable Cutoffs preferredMinThroughput,
    @Nullable Cutoffs preferredMaxLatency) {

  /** No preferences: any provider, fallbacks allowed. */
  public static final ProviderPreferences NONE =
      new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null, null, Map.of());

  public ProviderPreferences {
    order = List.copyOf(order);
    only = List.copyOf(only);
    ignore = List.copyOf(ignore);
    extra = Map.copyOf(extra);
    quantizations = List.copyOf(quantizations);
  }

  /** The preferences the gateway understood first; the later filters unset. */
  public ProviderPreferences(List<String> order, List<String> only, List<String> ignore, boolean allowFallbacks,
      boolean requireParameters, @Nullable String dataCollection, @Nullable String sort, Map<String, RawJson> extra) {
    this(order, only, ignore, allowFallbacks, requireParameters, dataCollection, sort, extra,
        false, List.of(), null, null, null, null);
  }

  /**
   * OpenRouter's {@code max_price}, in its units: USD per million tokens for {@code prompt} and
   * {@code completion}, USD per request, per image and per audio unit. Null components set no limit.
   */
  public record MaxPrice(
      @Nullable BigDecimal prompt,
      @Nullable BigDecimal completion,
      @Nullable BigDecimal request,
      @Nullable BigDecimal image,
      @Nullable BigDecimal audio) {}

  /**
   * Percentile thresholds for {@code preferred_min_throughput} and {@code preferred_max_latency}.
   * A bare number in the request is {@code p50}. Every threshold given must be met.
   */
  public record Cutoffs(@Nullable Double p50, @Nullable Double p75, @Nullable Double p90, @Nullable Double p99) {
    public static Cutoffs p50(double value) {
      return new Cutoffs(value, null, null, null);
    }
  }
}
