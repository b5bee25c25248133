package dev.switchboard.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.mock.MockAnswer.Output;
import dev.switchboard.mock.MockAnswer.Text;
import dev.switchboard.mock.MockAnswer.ToolCall;
import dev.switchboard.mock.MockAnswer.ToolCalls;
import dev.switchboard.mock.MockPrompt.OutputFormat;
import dev.switchboard.mock.MockPrompt.Role;
import dev.switchboard.mock.MockPrompt.Tool;
import dev.switchboard.mock.MockPrompt.ToolMode;
import dev.switchboard.mock.MockPrompt.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what the mock answers: a pure, deterministic function of the prompt, shared by every wire
 * dialect.
 *
 * <p>The rules, first match wins:
 *
 * <ol>
 *   <li>tools offered, tool choice not {@code none}, last turn from the user: call the tools (one
 *       call per tool, or only the first or the named one), arguments built from each schema;
 *   <li>JSON output requested: {@code {"answer":"mock"}} or an object built from the schema;
 *   <li>last turn is a tool result: {@code Tool result received: <its text>};
 *   <li>otherwise {@code Mock answer to: <first 60 characters of the last user text>}.
 * </ol>
 *
 * <p>A conversation that ends in an assistant message is a prefill: when the text answer above
 * starts with that message, the mock answers only the rest, as a model continuing its own words
 * would (what a gateway's stream resume sends). A prefill the answer does not start with is
 * ignored.
 *
 * <p>Values built from a schema: string {@code "mock"} (or the first {@code enum} value), number
 * and integer {@code 1}, boolean {@code true}, object with {@code properties} built recursively (no
 * properties: {@code {}}), array {@code []}, anything else {@code null}.
 *
 * <p>Usage: prompt tokens are the characters of all turns divided by 4 (at least 1); completion
 * tokens are the words of the output plus those of the reasoning.
 */
public final class MockAnswers {
  static final int ECHO_LIMIT = 60;
  private static final int MAX_SCHEMA_DEPTH = 16;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private MockAnswers() {}

  /**
   * Answers a prompt.
   *
   * @param reasoning whether to add reasoning text ({@code #mock:reasoning})
   */
  public static MockAnswer answer(MockPrompt prompt, boolean reasoning) {
    String lastUser = prompt.lastUserText().strip();
    Output output = continued(output(prompt, lastUser), prompt.turns());
    String thoughts = reasoning ? "Mock reasoning about: " + head(lastUser) : null;
    int reasoningTokens = thoughts == null ? 0 : words(thoughts);
    int completion = outputWords(output) + reasoningTokens;
    return new MockAnswer(
        thoughts, output, new MockAnswer.Usage(promptTokens(prompt), completion, reasoningTokens));
  }

  private static Output output(MockPrompt prompt, String lastUser) {
    List<Turn> turns = prompt.turns();
    Turn last = turns.isEmpty() ? null : turns.getLast();
    if (last != null && last.role() == Role.USER) {
      List<Tool> chosen = chosenTools(prompt);
      if (!chosen.isEmpty()) {
        return toolCalls(chosen, previousCalls(turns));
      }
    }
    return switch (prompt.format()) {
      case OutputFormat.JsonObject() -> new Text("{\"answer\":\"mock\"}");
      case OutputFormat.JsonSchema(JsonNode schema) -> new Text(sample(schema, 0).toString());
      case OutputFormat.Text() ->
          last != null && last.role() == Role.TOOL
              ? new Text("Tool result received: " + last.text())
              : new Text("Mock answer to: " + head(lastUser));
    };
  }

  // A continuation answers only what follows the prefill.
  private static Output continued(Output output, List<Turn> turns) {
    Turn last = turns.isEmpty() ? null : turns.getLast();
    if (last == null || last.role() != Role.ASSISTANT || last.text().isEmpty()
        || !(output instanceof Text(String content)) || !content.startsWith(last.text())) {
      return output;
    }
    return new Text(content.substring(last.text().length()));
  }

  private static List<Tool> chosenTools(MockPrompt prompt) {
    List<Tool> tools = prompt.tools();
    List<Tool> chosen =
        switch (prompt.toolMode()) {
          case ToolMode.None() -> List.of();
          case ToolMode.Any() -> tools;
          case ToolMode.Named(String name) -> {
            List<Tool> named = tools.stream().filter(t -> t.name().equals(name)).toList();
            yield named.isEmpty() ? tools : named;
          }
        };
    return prompt.parallelToolCalls() || chosen.size() <= 1 ? chosen : List.of(chosen.getFirst());
  }

  // Ids continue the conversation's numbering so they stay unique across turns yet deterministic.
  private static int previousCalls(List<Turn> turns) {
    int count = 0;
    for (Turn turn : turns) {
      count += turn.toolCalls();
    }
    return count;
  }

  private static ToolCalls toolCalls(List<Tool> tools, int previous) {
    List<ToolCall> calls = new ArrayList<>(tools.size());
    for (Tool tool : tools) {
      JsonNode arguments = sample(tool.parameters(), 0);
      String json = arguments.isObject() ? arguments.toString() : "{}";
      calls.add(new ToolCall("call_" + (previous + calls.size() + 1), tool.name(), json));
    }
    return new ToolCalls(calls);
  }

  /** A value that fits {@code schema}, built by the rules in the class comment. */
  static JsonNode sample(JsonNode schema, int depth) {
    if (depth > MAX_SCHEMA_DEPTH || !schema.isObject()) {
      return NODES.nullNode();
    }
    JsonNode enumValues = schema.path("enum");
    if (enumValues.isArray() && !enumValues.isEmpty()) {
      return enumValues.get(0);
    }
    if (schema.has("const")) {
      return schema.get("const");
    }
    JsonNode properties = schema.path("properties");
    return switch (type(schema)) {
      case "string" -> NODES.textNode("mock");
      case "number", "integer" -> NODES.numberNode(1);
      case "boolean" -> NODES.booleanNode(true);
      case "array" -> NODES.arrayNode();
      case "object" -> {
        ObjectNode object = NODES.objectNode();
        properties
            .properties()
            .forEach(p -> object.set(p.getKey(), sample(p.getValue(), depth + 1)));
        yield object;
      }
      default -> {
        JsonNode firstOption = schema.path("anyOf").path(0);
        if (firstOption.isMissingNode()) {
          firstOption = schema.path("oneOf").path(0);
        }
        yield firstOption.isMissingNode() ? NODES.nullNode() : sample(firstOption, depth + 1);
      }
    };
  }

  // "type" may be a string or a list such as ["string","null"]; an untyped schema with
  // properties is an object.
  private static String type(JsonNode schema) {
    JsonNode type = schema.path("type");
    if (type.isTextual()) {
      return type.textValue();
    }
    if (type.isArray()) {
      for (JsonNode t : (ArrayNode) type) {
        if (t.isTextual() && !t.textValue().equals("null")) {
          return t.textValue();
        }
      }
    }
    return schema.path("properties").isObject() ? "object" : "";
  }

  private static int promptTokens(MockPrompt prompt) {
    long chars = 0;
    for (Turn turn : prompt.turns()) {
      chars += turn.text().length();
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, chars / 4));
  }

  private static int outputWords(Output output) {
    return switch (output) {
      case Text(String content) -> words(content);
      case ToolCalls(List<ToolCall> calls) -> {
        int sum = 0;
        for (ToolCall call : calls) {
          sum += words(call.name()) + words(call.arguments());
        }
        yield sum;
      }
    };
  }

  static int words(String text) {
    int count = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        count++;
      }
      inWord = !space;
    }
    return count;
  }

  /** The first {@link #ECHO_LIMIT} code points, never splitting a surrogate pair. */
  static String head(String text) {
    if (text.codePointCount(0, text.length()) <= ECHO_LIMIT) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, ECHO_LIMIT));
  }
}
