package dev.switchboard.provider.transport;

import static java.util.Objects.requireNonNull;

import dev.switchboard.config.Secret;
import io.vertx.core.MultiMap;

/** How a provider wants its credential presented. Applied by the transport after encoding. */
public sealed interface UpstreamAuth {

  void apply(MultiMap headers);

  /** {@code Authorization: Bearer KEY} (OpenAI and most compatible providers). */
  record Bearer(Secret key) implements UpstreamAuth {
    public Bearer {
      requireNonNull(key, "key");
    }

    @Override
    public void apply(MultiMap headers) {
      headers.set("authorization", "Bearer " + key.reveal());
    }
  }

  /** The key in a named header ({@code x-api-key}, {@code api-key}). */
  record Header(String name, Secret key) implements UpstreamAuth {
    public Header {
      requireNonNull(name, "name");
      requireNonNull(key, "key");
    }

    @Override
    public void apply(MultiMap headers) {
      headers.set(name, key.reveal());
    }
  }

  /** No credential (local servers). */
  record None() implements UpstreamAuth {
    @Override
    public void apply(MultiMap headers) {}
  }
}
