package dev.switchboard.http.responses;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Message;
import dev.switchboard.core.ToolCall;
import dev.switchboard.http.openai.Stamp;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One item of a Responses answer's {@code output} array. Item ids are the generation id's random
 * part with the item's kind as prefix and its output index as suffix, so they are unique within the
 * answer and the same whether the answer was streamed or not.
 */
sealed interface OutputItem {

  String id();

  /** The model's reasoning; {@code text} is null while a stream has not finished it. */
  record Reasoning(String id, @Nullable String text) implements OutputItem {
    public Reasoning {
      requireNonNull(id, "id");
    }
  }

  /** The assistant's text; {@code text} is null while a stream has not finished it. */
  record AssistantMessage(String id, @Nullable String text) implements OutputItem {
    public AssistantMessage {
      requireNonNull(id, "id");
    }
  }

  /** One tool call. */
  record FunctionCall(String id, String callId, String name, String arguments) implements OutputItem {
    public FunctionCall {
      requireNonNull(id, "id");
      requireNonNull(callId, "callId");
      requireNonNull(name, "name");
      requireNonNull(arguments, "arguments");
    }
  }

  /** The output of a complete answer: reasoning, then the message, then the tool calls. */
  static List<OutputItem> of(ChatResponse response, Stamp stamp) {
    List<OutputItem> items = new ArrayList<>();
    Message message = response.choices().isEmpty() ? null : response.first().message();
    if (message != null && message.reasoning() != null && !message.reasoning().isEmpty()) {
      items.add(new Reasoning(id("rs", stamp, items.size()), message.reasoning()));
    }
    String text = message == null ? "" : message.textContent();
    // An answer that is only tool calls has no message item, as OpenAI sends it.
    if (!text.isEmpty() || message == null || message.toolCalls().isEmpty()) {
      items.add(new AssistantMessage(id("msg", stamp, items.size()), text));
    }
    if (message != null) {
      for (ToolCall call : message.toolCalls()) {
        items.add(new FunctionCall(id("fc", stamp, items.size()), call.id(), call.name(), call.arguments()));
      }
    }
    return items;
  }

  /** The id of the item at {@code index}: {@code PREFIX_RANDOM_INDEX}. */
  static String id(String prefix, Stamp stamp, int index) {
    return prefix + "_" + suffix(stamp) + "_" + index;
  }

  /** The response id: {@code resp_} and the generation id's random part. */
  static String responseId(Stamp stamp) {
    return "resp_" + suffix(stamp);
  }

  private static String suffix(Stamp stamp) {
    String id = stamp.id();
    return id.startsWith("gen-") ? id.substring(4) : id;
  }
}
