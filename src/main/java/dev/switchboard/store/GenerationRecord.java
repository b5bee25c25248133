package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One finished request, as {@code GET /api/v1/generation?id=} reports it: who asked, what served
 * it, the usage, the cost and the timings. Written once by {@link GenerationWriter}, never updated.
 *
 * <p>Build one with {@link #builder}: nineteen positional components are too easy to swap. {@code
 * createdAt} is kept at millisecond precision, the store's, so a record read back equals the record
 * written.
 *
 * @param id {@code gen-…}, the id returned to the client in {@code X-Generation-Id}
 * @param keyHash the {@link ApiKey#hash()} that paid
 * @param model the model id the request resolved to ({@code author/slug})
 * @param provider the provider slug that served the last attempt; null if none was tried
 * @param providerModel the provider's own model id for that attempt
 * @param upstreamId the provider's response id ({@code chatcmpl-…})
 * @param finishReason the normalised finish reason of the first choice
 * @param nativeFinishReason the provider's own finish reason text
 * @param usage token counts; {@link Usage#estimated()} when the provider reported none
 * @param costNanos what the key is charged, in nano-USD ({@link Money})
 * @param latencyMs from request received to last byte sent
 * @param firstTokenMs from request received to the first content byte; null if none was sent
 * @param attempts upstream attempts made, fallbacks included (0 if none could be made)
 * @param errorCode the HTTP status of the error returned to the client (OpenRouter's {@code
 *     error.code}); null on success
 * @param errorMessage the client-safe error message, at most {@value #MAX_ERROR_MESSAGE} characters
 * @param recovered settled by recovery, not by the request: the node running it stopped before it
 *     settled, so it is charged at its reserved estimate and its usage is that estimate
 * @param byok served with the account's own provider key (BYOK), so the cost is the BYOK fee
 */
public record GenerationRecord(
    String id,
    String keyHash,
    String accountId,
    String model,
    @Nullable String provider,
    @Nullable String providerModel,
    @Nullable String upstreamId,
    Status status,
    @Nullable FinishReason finishReason,
    @Nullable String nativeFinishReason,
    boolean streamed,
    Usage usage,
    long costNanos,
    long latencyMs,
    @Nullable Long firstTokenMs,
    int attempts,
    @Nullable Integer errorCode,
    @Nullable String errorMessage,
    Instant createdAt,
    boolean recovered,
    boolean byok) {

  /** Longer messages are cut: they are for people, and provider bodies can be huge. */
  public static final int MAX_ERROR_MESSAGE = 2_000;

  /** How the request ended. */
  public enum Status {
    SUCCESS,
    ERROR,
    /** The client went away before the response was complete. */
    CANCELLED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The value stored in {@code generations.status}. */
    public String wireName() {
      return wireName;
    }

    /** Parses a {@link #wireName()}. */
    public static Status parse(String value) {
      for (Status status : values()) {
        if (status.wireName.equals(value)) {
          return status;
        }
      }
      throw new IllegalArgumentException("unknown generation status '" + value + "'");
    }
  }

  public GenerationRecord {
    requireNonBlank("id", id);
    requireNonBlank("keyHash", keyHash);
    requireNonBlank("accountId", accountId);
    requireNonBlank("model", model);
    requireNonNull(status, "status");
    requireNonNull(usage, "usage");
    requireNonNull(createdAt, "createdAt");
    if (costNanos < 0) {
      throw new IllegalArgumentException("costNanos must not be negative, was " + costNanos);
    }
    if (latencyMs < 0 || (firstTokenMs != null && firstTokenMs < 0)) {
      throw new IllegalArgumentException(
          "timings must not be negative: latencyMs=" + latencyMs + " firstTokenMs=" + firstTokenMs);
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
    }
    if (errorMessage != null && errorMessage.length() > MAX_ERROR_MESSAGE) {
      errorMessage = errorMessage.substring(0, MAX_ERROR_MESSAGE);
    }
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * Starts a record with the required parts; the rest default to a successful, non-streamed, free,
   * single-attempt request with zero usage.
   */
  public static Builder builder(
      String id, String keyHash, String accountId, String model, Instant createdAt) {
    return new Builder(id, keyHash, accountId, model, createdAt);
  }

  private static void requireNonBlank(String name, String value) {
    if (requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /** Collects a {@link GenerationRecord}'s optional parts. Not thread-safe; use once. */
  public static final class Builder {
    private final String id;
    private final String keyHash;
    private final String accountId;
    private final String model;
    private final Instant createdAt;
    private @Nullable String provider;
    private @Nullable String providerModel;
    private @Nullable String upstreamId;
    private Status status = Status.SUCCESS;
    private @Nullable FinishReason finishReason;
    private @Nullable String nativeFinishReason;
    private boolean streamed;
    private Usage usage = Usage.ZERO;
    private long costNanos;
    private long latencyMs;
    private @Nullable Long firstTokenMs;
    private int attempts = 1;
    private @Nullable Integer errorCode;
    private @Nullable String errorMessage;
    private boolean recovered;
    private boolean byok;

    private Builder(String id, String keyHash, String accountId, String model, Instant createdAt) {
      this.id = id;
      this.keyHash = keyHash;
      this.accountId = accountId;
      this.model = model;
      this.createdAt = createdAt;
    }

    /**
     * The provider slug and the provider's model id of the attempt that answered (or failed last).
     */
    public Builder provider(@Nullable String provider, @Nullable String providerModel) {
      this.provider = provider;
      this.providerModel = providerModel;
      return this;
    }

    public Builder upstreamId(@Nullable String upstreamId) {
      this.upstreamId = upstreamId;
      return this;
    }

    public Builder status(Status status) {
      this.status = status;
      return this;
    }

    public Builder finishReason(
        @Nullable FinishReason finishReason, @Nullable String nativeFinishReason) {
      this.finishReason = finishReason;
      this.nativeFinishReason = nativeFinishReason;
      return this;
    }

    public Builder streamed(boolean streamed) {
      this.streamed = streamed;
      return this;
    }

    public Builder usage(Usage usage) {
      this.usage = usage;
      return this;
    }

    public Builder costNanos(long costNanos) {
      this.costNanos = costNanos;
      return this;
    }

    public Builder latency(long latencyMs, @Nullable Long firstTokenMs) {
      this.latencyMs = latencyMs;
      this.firstTokenMs = firstTokenMs;
      return this;
    }

    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    /**
     * Marks the record as failed with the status code and message the client received (no code
     * when no client received one, as for a recovered record).
     */
    public Builder error(@Nullable Integer errorCode, String errorMessage) {
      this.status = Status.ERROR;
      this.errorCode = errorCode;
      this.errorMessage = errorMessage;
      return this;
    }

    /** Marks the record as settled by recovery at its reserved estimate. */
    public Builder recovered(boolean recovered) {
      this.recovered = recovered;
      return this;
    }

    /** Marks the record as served with the account's own provider key. */
    public Builder byok(boolean byok) {
      this.byok = byok;
      return this;
    }

    public GenerationRecord build() {
      return new GenerationRecord(
          id,
          keyHash,
          accountId,
          model,
          provider,
          providerModel,
          upstreamId,
          status,
          finishReason,
          nativeFinishReason,
          streamed,
          usage,
          costNanos,
          latencyMs,
          firstTokenMs,
          attempts,
          errorCode,
          errorMessage,
          createdAt,
          recovered,
          byok);
    }
  }
}
