package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A complete (non-streamed) chat completion as the upstream returned it, before the gateway
 * stamps its own id, provider and cost on it.
 *
 * @param upstreamId the provider's response id, when it gave one
 * @param upstreamModel the model name the provider reported
 * @param usage null when the provider reported none
 * @param systemFingerprint OpenAI's {@code system_fingerprint}, when given
 */
public record ChatResponse(
    @Nullable String upstreamId,
    @Nullable String upstreamModel,
    List<Choice> choices,
    @Nullable Usage usage,
    @Nullable String systemFingerprint) {
  public ChatResponse {
    choices = List.copyOf(choices);
  }

  /** The first choice; every valid response has one. */
  public Choice first() {
    requireNonNull(choices.isEmpty() ? null : choices.getFirst(), "response has no choices");
    return choices.getFirst();
  }
}
