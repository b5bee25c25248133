package dev.switchboard.http.openai;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What the gateway stamps on every completion it returns, whichever upstream served it.
 *
 * @param id the generation id ({@code gen-…})
 * @param created Unix seconds
 * @param model the catalog model id that served the request
 * @param provider the slug of the provider that served it
 */
public record Stamp(String id, long created, String model, String provider, @Nullable String systemFingerprint) {
  public Stamp {
    requireNonNull(id, "id");
    requireNonNull(model, "model");
    requireNonNull(provider, "provider");
  }
}
