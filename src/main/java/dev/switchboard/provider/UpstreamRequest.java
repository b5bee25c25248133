package dev.switchboard.provider;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An encoded request, before the transport adds credentials.
 *
 * @param path appended to the target's base URL (for example {@code /chat/completions})
 * @param headers provider-specific headers other than credentials and content-type
 * @param body the JSON body as UTF-8 bytes; treat as read-only
 */
public record UpstreamRequest(String path, Map<String, String> headers, byte[] body, boolean stream) {
  public UpstreamRequest {
    requireNonNull(path, "path");
    headers = Map.copyOf(headers);
    requireNonNull(body, "body");
  }
}
