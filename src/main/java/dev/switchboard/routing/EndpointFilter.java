package dev.switchboard.routing;

import dev.switchboard.catalog.Endpoint;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.ProviderPreferences.MaxPrice;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The hard filters of the {@code provider} preferences: whether an endpoint may serve a request at
 * all. Each refusal names the filter in OpenRouter's {@code excluded_by} vocabulary and says why
 * in words, for the error a client gets when nothing is left and for the routing explanation.
 *
 * <p>Pure functions.
 */
final class EndpointFilter {
  /** {@code provider.only}, {@code provider.ignore}, or {@code order} without fallbacks. */
  static final String ALLOWED_PROVIDERS = "allowed_providers";
  static final String TRAINING = "data_policy:training";
  static final String ZDR = "data_policy:zdr";
  static final String QUANTIZATION = "quantization";
  static final String MAX_PRICE = "max_price";
  static final String REQUIRE_PARAMETERS = "require_parameters";
  /** The {@code :free} variant keeps free endpoints only. */
  static final String FREE_VARIANT = "free_variant";

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private EndpointFilter() {}

  /** Why {@code endpoint} may not serve the request, or null when it may. */
  static @Nullable Refusal refusal(Endpoint endpoint, List<String> requestedParameters, ProviderPreferences prefs,
      boolean freeOnly) {
    String slug = endpoint.providerSlug();
    if (!prefs.only().isEmpty() && !names(prefs.only(), slug)) {
      return new Refusal(ALLOWED_PROVIDERS, "not in provider.only");
    }
    if (names(prefs.ignore(), slug)) {
      return new Refusal(ALLOWED_PROVIDERS, "in provider.ignore");
    }
    if (!prefs.allowFallbacks() && !prefs.order().isEmpty() && !names(prefs.order(), slug)) {
      return new Refusal(ALLOWED_PROVIDERS, "not in provider.order and provider.allow_fallbacks is false");
    }
    if (freeOnly && !endpoint.pricing().isFree()) {
      return new Refusal(FREE_VARIANT, "the :free variant asks for free endpoints and this one has a price");
    }
    if ("deny".equals(prefs.dataCollection())
        && (endpoint.dataPolicy().training() || endpoint.dataPolicy().retainsPrompts())) {
      return new Refusal(TRAINING, "provider.data_collection is deny and this provider may store or train on prompts");
    }
    if (prefs.zdr() && !endpoint.dataPolicy().zeroDataRetention()) {
      return new Refusal(ZDR, "provider.zdr is true and this endpoint does not promise zero data retention");
    }
    if (!prefs.quantizations().isEmpty()) {
      // An endpoint whose quantization is not known passes only when the client admits "unknown":
      // OpenRouter lists "unknown" as a quantization value of its own, and a client asking for
      // fp8 or better must not land on an endpoint that may be int4.
      String quantization = endpoint.quantization() == null ? "unknown" : endpoint.quantization();
      if (!names(prefs.quantizations(), quantization)) {
        return new Refusal(QUANTIZATION, "provider.quantizations does not include its quantization ("
            + quantization + ")");
      }
    }
    if (prefs.maxPrice() != null) {
      String over = overMaxPrice(endpoint.pricing(), prefs.maxPrice());
      if (over != null) {
        return new Refusal(MAX_PRICE, over);
      }
    }
    if (prefs.requireParameters()) {
      for (String parameter : requestedParameters) {
        if (!endpoint.supports(parameter)) {
          return new Refusal(REQUIRE_PARAMETERS,
              "provider.require_parameters is true and it does not support '" + parameter + "'");
        }
      }
    }
    return null;
  }

  /**
   * Which price of {@code pricing} exceeds {@code max}, or null when none does. The catalog keeps
   * USD per token and {@code max_price} is USD per million tokens, so token prices are scaled by a
   * million exactly (a decimal point shift) before comparing; per-request and per-image prices
   * compare as they are. An absent endpoint price is free. The catalog has no audio prices, so
   * {@code max_price.audio} cannot exclude anything.
   */
  static @Nullable String overMaxPrice(Pricing pricing, MaxPrice max) {
    String over = over("prompt", pricing.prompt().multiply(MILLION), max.prompt(), " per million tokens");
    if (over == null) {
      over = over("completion", pricing.completion().multiply(MILLION), max.completion(), " per million tokens");
    }
    if (over == null) {
      over = over("request", orZero(pricing.request()), max.request(), " per request");
    }
    if (over == null) {
      over = over("image", orZero(pricing.image()), max.image(), " per image");
    }
    return over;
  }

  private static @Nullable String over(String name, BigDecimal price, @Nullable BigDecimal limit, String unit) {
    if (limit == null || price.compareTo(limit) <= 0) {
      return null;
    }
    return "its " + name + " price $" + plain(price) + unit + " is above provider.max_price." + name + " $"
        + plain(limit);
  }

  private static BigDecimal orZero(@Nullable BigDecimal value) {
    return value == null ? BigDecimal.ZERO : value;
  }

  private static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  /** Whether {@code names} (from a request, in any letter case) contain {@code slug}. */
  static boolean names(List<String> names, String slug) {
    for (String name : names) {
      if (name.trim().toLowerCase(Locale.ROOT).equals(slug.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why an endpoint was refused.
   *
   * @param filter OpenRouter's {@code excluded_by} name of the filter
   * @param reason the same in words, for a person
   */
  record Refusal(String filter, String reason) {}
}
