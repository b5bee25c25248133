package dev.switchboard.provider;

import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the content blocks of one non-streamed assistant message add up to, as a response decoder
 * collects them in order: text and other parts, tool calls and reasoning text. A call of the
 * {@link AnswerTool} is the answer to a {@code response_format} request, so its input becomes the
 * text and {@link #answered()} is set. One instance per decoded message; not thread-safe.
 */
public final class AssistantContent {
  private final String callIdPrefix;
  private final List<ContentPart> parts = new ArrayList<>();
  private final List<ToolCall> calls = new ArrayList<>();
  private final StringBuilder reasoning = new StringBuilder();
  private boolean answered;

  private AssistantContent(String callIdPrefix) {
    this.callIdPrefix = callIdPrefix;
  }

  /**
   * @param callIdPrefix what the id of a call that came without one starts with; its position
   *     among the calls follows
   */
  public static AssistantContent create(String callIdPrefix) {
    return new AssistantContent(callIdPrefix);
  }

  /** Adds a text part; empty text adds nothing. */
  public void text(@Nullable String text) {
    if (text != null && !text.isEmpty()) {
      parts.add(new ContentPart.Text(text));
    }
  }

  /** Adds a part as it is (a block kept verbatim, say). */
  public void part(ContentPart part) {
    parts.add(part);
  }

  public void reasoning(String text) {
    reasoning.append(text);
  }

  /**
   * Adds a tool call, or the answer when the tool is the {@link AnswerTool}.
   *
   * @param input the call's input as the exact JSON text the provider sent; {@code {}} when absent
   */
  public void toolCall(@Nullable String id, @Nullable String name, @Nullable String input) {
    String arguments = input == null ? "{}" : input;
    if (AnswerTool.isAnswer(name)) {
      parts.add(new ContentPart.Text(arguments));
      answered = true;
    } else {
      calls.add(new ToolCall(id == null ? callIdPrefix + calls.size() : id, name == null ? "" : name, arguments));
    }
  }

  /** Whether the answer tool was called. */
  public boolean answered() {
    return answered;
  }

  /** Whether a tool other than the answer tool was called. */
  public boolean calledTools() {
    return !calls.isEmpty();
  }

  /** The assistant message, its reasoning null when there was none. */
  public Message message() {
    return new Message(
        Role.ASSISTANT, parts, null, calls, null, reasoning.isEmpty() ? null : reasoning.toString());
  }
}
