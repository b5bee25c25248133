package dev.switchboard.mock;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a chat request asks, independent of the wire dialect it arrived in: each dialect's codec
 * builds one, {@link MockAnswers} answers it.
 *
 * @param model the requested model id, echoed back
 * @param turns the conversation in order
 * @param tools functions the model may call
 * @param toolMode whether and which tool must or may be called
 * @param parallelToolCalls whether several tools may be called in one answer
 * @param format the requested output format
 */
public record MockPrompt(
    String model,
    List<Turn> turns,
    List<Tool> tools,
    ToolMode toolMode,
    boolean parallelToolCalls,
    OutputFormat format) {

  public MockPrompt {
    requireNonNull(model, "model");
    turns = List.copyOf(turns);
    tools = List.copyOf(tools);
    requireNonNull(toolMode, "toolMode");
    requireNonNull(format, "format");
  }

  /** Who said a turn. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
  }

  /**
   * One message, reduced to what the mock needs.
   *
   * @param text all text of the message (text parts joined); empty when it has none
   * @param toolCalls how many tool calls an assistant turn made, so call ids stay unique
   */
  public record Turn(Role role, String text, int toolCalls) {
    public Turn {
      requireNonNull(role, "role");
      requireNonNull(text, "text");
    }
  }

  /**
   * A callable function.
   *
   * @param parameters its JSON schema (an object schema); treated as read-only
   */
  public record Tool(String name, JsonNode parameters) {
    public Tool {
      requireNonNull(name, "name");
      requireNonNull(parameters, "parameters");
    }
  }

  /** The caller's tool choice. */
  public sealed interface ToolMode {
    /** Tools must not be called. */
    record None() implements ToolMode {}

    /** Any tool may be called ({@code auto} or {@code required}). */
    record Any() implements ToolMode {}

    /** Only the named function may be called. */
    record Named(String name) implements ToolMode {}
  }

  /** The requested shape of the content. */
  public sealed interface OutputFormat {
    /** Free text. */
    record Text() implements OutputFormat {}

    /** Any JSON object. */
    record JsonObject() implements OutputFormat {}

    /** A JSON value matching this schema; treated as read-only. */
    record JsonSchema(JsonNode schema) implements OutputFormat {}
  }

  /** Text of the last user turn, or empty: the mock's answer and fault directives come from it. */
  public String lastUserText() {
    for (int i = turns.size() - 1; i >= 0; i--) {
      if (turns.get(i).role() == Role.USER) {
        return turns.get(i).text();
      }
    }
    return "";
  }
}
