package dev.switchboard.http;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;

/** Authenticates requests by API key and checks the key's scope. Thread-safe. */
final class Auth {
  private final Authenticator authenticator;

  Auth(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** Any valid key. */
  Principal any(Exchange exchange) {
    String token = exchange.bearerToken();
    if (token == null) {
      throw new GatewayException.Unauthenticated(
          "missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'"
          + " (create one with 'switchboard keys create')");
    }
    return authenticator.authenticate(token).orElseThrow(() -> new GatewayException.Unauthenticated(
        "invalid API key: it is unknown, revoked, disabled or expired"));
  }

  /** A key that may call models. */
  Principal inference(Exchange exchange) {
    Principal principal = any(exchange);
    if (principal.management()) {
      throw new GatewayException.Forbidden(
          "this is a management key; it manages keys and credits but cannot call models. Use an inference key");
    }
    return principal;
  }

  /** A key that may manage keys and credits. */
  Principal management(Exchange exchange) {
    Principal principal = any(exchange);
    if (!principal.management()) {
      throw new GatewayException.Forbidden(
          "this is an inference key; managing keys and credits needs a management key"
              + " (create one with 'switchboard keys create --kind management')");
    }
    return principal;
  }
}
