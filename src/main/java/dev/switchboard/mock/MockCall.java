package dev.switchboard.mock;

import static java.util.Objects.requireNonNull;

import io.vertx.core.MultiMap;
import org.jspecify.annotations.Nullable;

/**
 * What a dialect may read of an HTTP request besides its body.
 *
 * @param path the request path, without the query
 * @param headers request headers, case-insensitive; read-only by convention
 * @param params query parameters; read-only by convention
 */
record MockCall(String path, MultiMap headers, MultiMap params) {
  MockCall {
    requireNonNull(path, "path");
    requireNonNull(headers, "headers");
    requireNonNull(params, "params");
  }

  @Nullable String header(String name) {
    return headers.get(name);
  }

  @Nullable String param(String name) {
    return params.get(name);
  }
}
