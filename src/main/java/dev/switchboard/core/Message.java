package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One conversation turn.
 *
 * <p>Content is always a list of parts; a plain string on the wire is one {@link
 * ContentPart.Text}. An assistant turn that only calls tools has empty content.
 *
 * @param name the optional participant name
 * @param toolCalls calls made by an assistant turn; empty otherwise
 * @param toolCallId the call a {@link Role#TOOL} turn answers
 * @param reasoning reasoning text an assistant turn carried (OpenRouter's {@code reasoning})
 */
public record Message(
    Role role,
    List<ContentPart> content,
    @Nullable String name,
    List<ToolCall> toolCalls,
    @Nullable String toolCallId,
    @Nullable String reasoning) {

  public Message {
    requireNonNull(role, "role");
    content = List.copyOf(content);
    toolCalls = List.copyOf(toolCalls);
  }

  /** A turn with one text part. */
  public static Message text(Role role, String text) {
    return new Message(role, List.of(new ContentPart.Text(text)), null, List.of(), null, null);
  }

  /** The concatenated text parts; empty when there are none. */
  public String textContent() {
    if (content.size() == 1 && content.getFirst() instanceof ContentPart.Text(String text)) {
      return text;
    }
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text(String text)) {
        sb.append(text);
      }
    }
    return sb.toString();
  }
}
