package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One completion choice.
 *
 * @param nativeFinishReason the provider's own stop reason, verbatim, when it had one
 * @param logprobs OpenAI's {@code logprobs} object, verbatim, when requested and returned
 */
public record Choice(
    int index,
    Message message,
    @Nullable FinishReason finishReason,
    @Nullable String nativeFinishReason,
    @Nullable RawJson logprobs) {
  public Choice {
    requireNonNull(message, "message");
  }
}
