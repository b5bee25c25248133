package dev.switchboard.routing;

import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's dynamic model variants, written as a suffix of the model id: {@code :floor} sorts
 * the model's endpoints by price, {@code :nitro} by throughput, and {@code :free} keeps only its
 * free endpoints. A catalog id that itself ends in such a suffix (OpenRouter lists {@code :free}
 * models of their own) is always found first, so a variant applies only to ids the catalog lacks.
 *
 * @param modelId the id without the suffix
 * @param sort the sort the variant asks for; null for none
 * @param freeOnly whether only free endpoints may serve
 * @param suffix the variant's name, without the colon
 */
record ModelVariant(String modelId, @Nullable String sort, boolean freeOnly, String suffix) {
  /** The variant named by {@code id}'s suffix, or null when it has none the gateway knows. */
  static @Nullable ModelVariant parse(String id) {
    int colon = id.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String base = id.substring(0, colon);
    return switch (id.substring(colon + 1)) {
      case "floor" -> new ModelVariant(base, "price", false, "floor");
      case "nitro" -> new ModelVariant(base, "throughput", false, "nitro");
      case "free" -> new ModelVariant(base, null, true, "free");
      default -> null;
    };
  }
}
