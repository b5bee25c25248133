package dev.switchboard.provider;

import dev.switchboard.core.UpstreamError;

/** Carries an {@link UpstreamError} out of code that cannot return it. No stack trace: expected. */
public final class UpstreamException extends RuntimeException {
  private final UpstreamError error;

  public UpstreamException(UpstreamError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public UpstreamError error() {
    return error;
  }
}
