package dev.switchboard.provider;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A complete upstream response.
 *
 * @param headers response headers with lower-case names
 * @param body the body bytes; treat as read-only
 */
public record UpstreamResponse(int status, Map<String, String> headers, byte[] body) {
  public UpstreamResponse {
    headers = Map.copyOf(headers);
  }

  /** A header by case-insensitive name. */
  public @Nullable String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
