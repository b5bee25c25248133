package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One decoded event of a streamed completion, independent of the provider's wire format.
 *
 * <p>A well-formed stream is: one {@link Started}, any number of deltas, at most one {@link
 * UsageReport}, then {@link Finish} per choice or a single {@link Failure}. Nothing follows a
 * {@link Failure}.
 */
public sealed interface StreamEvent {

  /** The upstream accepted the request and began answering. */
  record Started(@Nullable String upstreamId, @Nullable String upstreamModel) implements StreamEvent {}

  /** Visible answer text. */
  record TextDelta(int choice, String text) implements StreamEvent {
    public TextDelta {
      requireNonNull(text, "text");
    }
  }

  /** Reasoning ("thinking") text. */
  record ReasoningDelta(int choice, String text) implements StreamEvent {
    public ReasoningDelta {
      requireNonNull(text, "text");
    }
  }

  /**
   * A reasoning block the client has to send back verbatim on its next turn (Anthropic's signed
   * {@code thinking} block, its {@code redacted_thinking} block), emitted once the block is
   * complete, signature included.
   *
   * <p>The block is the same {@link ContentPart.Unknown} a non-streamed answer keeps in {@link
   * Message#content()}, so streamed and non-streamed answers hand dialects one form, and a dialect
   * that reads it back from a client hands the adapter what it decoded. That form (rather than a new
   * content part variant or a new {@link Message} component) leaves every exhaustive switch over
   * {@link ContentPart} and every {@link Message} constructor as it was; adapters of other families
   * already skip such parts. Dialects that have no place for it (OpenRouter's {@code
   * reasoning_details} does) ignore it; its text has already streamed as {@link ReasoningDelta}s.
   */
  record ReasoningDetail(int choice, ContentPart.Unknown part) implements StreamEvent {
    public ReasoningDetail {
      requireNonNull(part, "part");
    }
  }

  /**
   * A piece of a tool call. The first piece of a call carries its id and name; later pieces
   * only append to the arguments.
   *
   * @param index the call's position among the choice's tool calls
   */
  record ToolCallDelta(
      int choice, int index, @Nullable String id, @Nullable String name, String argumentsFragment)
      implements StreamEvent {
    public ToolCallDelta {
      requireNonNull(argumentsFragment, "argumentsFragment");
    }
  }

  /** Log-probabilities for the tokens of a delta, verbatim. */
  record Logprobs(int choice, RawJson logprobs) implements StreamEvent {}

  /** Token usage for the whole stream. */
  record UsageReport(Usage usage) implements StreamEvent {
    public UsageReport {
      requireNonNull(usage, "usage");
    }
  }

  /** A choice finished. */
  record Finish(int choice, FinishReason reason, @Nullable String nativeReason) implements StreamEvent {
    public Finish {
      requireNonNull(reason, "reason");
    }
  }

  /** The upstream failed; the stream ends here. */
  record Failure(UpstreamError error) implements StreamEvent {
    public Failure {
      requireNonNull(error, "error");
    }
  }
}
