package dev.switchboard.mock;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the mock says, independent of the wire dialect that spells it.
 *
 * @param reasoning reasoning text shown before the output, or null
 * @param output the text or the tool calls
 * @param usage token counts for the answer
 */
public record MockAnswer(@Nullable String reasoning, Output output, Usage usage) {
  public MockAnswer {
    requireNonNull(output, "output");
    requireNonNull(usage, "usage");
  }

  /** The answer proper. */
  public sealed interface Output {}

  /** Plain (or JSON) content; the turn ends normally. */
  public record Text(String content) implements Output {
    public Text {
      requireNonNull(content, "content");
    }
  }

  /** One or more tool calls; the turn ends to let the caller run them. */
  public record ToolCalls(List<ToolCall> calls) implements Output {
    public ToolCalls {
      calls = List.copyOf(calls);
      if (calls.isEmpty()) {
        throw new IllegalArgumentException("at least one tool call");
      }
    }
  }

  /**
   * One function call.
   *
   * @param arguments the arguments as a JSON object text
   */
  public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
      requireNonNull(id, "id");
      requireNonNull(name, "name");
      requireNonNull(arguments, "arguments");
    }
  }

  /**
   * Deterministic token counts.
   *
   * @param completionTokens includes {@code reasoningTokens}, as OpenAI counts them
   */
  public record Usage(int promptTokens, int completionTokens, int reasoningTokens) {
    public int totalTokens() {
      return promptTokens + completionTokens;
    }
  }
}
