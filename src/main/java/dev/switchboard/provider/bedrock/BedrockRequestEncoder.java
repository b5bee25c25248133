package dev.switchboard.provider.bedrock;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.provider.AnswerTool;
import dev.switchboard.provider.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link ChatRequest} to a Converse request body
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html); the model
 * id is in the path ({@link BedrockAdapter#path}). Beyond renaming: system and developer turns
 * become {@code system}; consecutive turns of one Bedrock role (tool results, then the user's next
 * words) are merged, since roles must alternate; blank text and turns left empty are dropped,
 * since Bedrock rejects both; {@code response_format} becomes a forced answer tool; {@code
 * reasoning} becomes Claude's {@code thinking} ({@link BedrockThinking}). User and tool content blocks
 * are written by {@link BedrockContentBlocks}. Every quirk is listed in {@code package-info}.
 *
 * <p>Pure and thread-safe: reads the request, never changes it. Writes with Jackson's streaming
 * generator, so verbatim JSON (schemas, arguments) is copied as the client wrote it.
 */
final class BedrockRequestEncoder {
  private static final String EMPTY_OBJECT_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";

  byte[] encode(ChatRequest request, Target target) {
    BedrockThinking thinking = BedrockThinking.forRequest(request, target.providerModelId());
    var bytes = new ByteArrayBuilder(1024);
    try (JsonGenerator json = BedrockAdapter.JSON.getFactory().createGenerator(bytes)) {
      json.writeStartObject();
      writeMessages(json, request.messages());
      writeSystem(json, request.messages());
      writeInferenceConfig(json, request, thinking);
      writeToolConfig(json, request, thinking != null);
      if (thinking != null) {
        json.writeObjectFieldStart("additionalModelRequestFields");
        json.writeObjectFieldStart("thinking");
        json.writeStringField("type", "enabled");
        json.writeNumberField("budget_tokens", thinking.budgetTokens());
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode request", e); // in-memory: does not happen
    }
    return bytes.toByteArray();
  }

  // ---- messages ---------------------------------------------------------------------------

  /** One Bedrock turn: the positions of the canonical turns merged into it. */
  private record Turn(String role, List<Integer> positions) {}

  private static void writeMessages(JsonGenerator json, List<Message> messages) throws IOException {
    var turns = new ArrayList<Turn>();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      String role = switch (message.role()) {
        case SYSTEM, DEVELOPER -> null;
        case USER, TOOL -> "user";
        case ASSISTANT -> "assistant";
      };
      if (role == null || !hasContent(message)) {
        continue;
      }
      if (turns.isEmpty() || !turns.getLast().role().equals(role)) {
        turns.add(new Turn(role, new ArrayList<>()));
      }
      turns.getLast().positions().add(i);
    }
    json.writeArrayFieldStart("messages");
    for (Turn turn : turns) {
      json.writeStartObject();
      json.writeStringField("role", turn.role());
      json.writeArrayFieldStart("content");
      for (int position : turn.positions()) {
        Message message = messages.get(position);
        switch (message.role()) {
          case TOOL -> BedrockContentBlocks.writeToolResult(json, message, position);
          case ASSISTANT -> writeAssistant(json, message, position);
          default -> {
            for (int p = 0; p < message.content().size(); p++) {
              String param = "messages[" + position + "].content[" + p + "]";
              BedrockContentBlocks.writeUserPart(json, message.content().get(p), param);
            }
          }
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Whether a turn yields at least one block. */
  private static boolean hasContent(Message message) {
    if (message.role() == Role.TOOL || !message.toolCalls().isEmpty()) {
      return true;
    }
    for (ContentPart part : message.content()) {
      boolean counts = switch (part) {
        case ContentPart.Text(String text) -> !text.isBlank();
        // Unknown parts of an assistant turn are dropped unless they are reasoning; a user's are a 400.
        case ContentPart.Unknown u -> message.role() != Role.ASSISTANT || BedrockThinking.signedBlock(u) != null;
        default -> true;
      };
      if (counts) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reasoning blocks first (Claude requires an assistant turn to open with its thinking), then
   * text, then tool calls. Reasoning goes back only as a signed {@code reasoningContent} block
   * (the one this adapter decoded, or a client's echoed Claude thinking block, see {@link
   * BedrockThinking#signedBlock}): the plain {@link Message#reasoning()} text has no signature,
   * and Claude rejects a thinking block without one.
   */
  private static void writeAssistant(JsonGenerator json, Message message, int position) throws IOException {
    for (ContentPart part : message.content()) {
      JsonNode reasoning = BedrockThinking.signedBlock(part);
      if (reasoning != null) {
        json.writeRawValue(reasoning.toString());
      }
    }
    for (ContentPart part : message.content()) {
      // Other parts of an assistant turn (another provider's server-tool or citation blocks) are
      // the model's own output with no Converse form; the model does not need them back.
      if (part instanceof ContentPart.Text(String text) && !text.isBlank()) {
        json.writeStartObject();
        json.writeStringField("text", text);
        json.writeEndObject();
      }
    }
    for (int c = 0; c < message.toolCalls().size(); c++) {
      ToolCall call = message.toolCalls().get(c);
      json.writeStartObject();
      json.writeObjectFieldStart("toolUse");
      json.writeStringField("toolUseId", BedrockAdapter.toolUseId(call.id()));
      json.writeStringField("name", call.name());
      json.writeFieldName("input");
      String param = "messages[" + position + "].tool_calls[" + c + "].function.arguments";
      json.writeRawValue(BedrockContentBlocks.toolUseInput(call.arguments(), param));
      json.writeEndObject();
      json.writeEndObject();
    }
  }

  // ---- system, inference ------------------------------------------------------------------

  private static void writeSystem(JsonGenerator json, List<Message> messages) throws IOException {
    boolean open = false;
    for (Message message : messages) {
      if ((message.role() != Role.SYSTEM && message.role() != Role.DEVELOPER) || message.textContent().isBlank()) {
        continue;
      }
      if (!open) {
        json.writeArrayFieldStart("system");
        open = true;
      }
      json.writeStartObject();
      json.writeStringField("text", message.textContent());
      json.writeEndObject();
    }
    if (open) {
      json.writeEndArray();
    }
  }

  private static void writeInferenceConfig(JsonGenerator json, ChatRequest request, @Nullable BedrockThinking thinking)
      throws IOException {
    Integer maxTokens = thinking != null ? Integer.valueOf(thinking.maxTokens()) : request.maxTokens();
    if (maxTokens == null && request.temperature() == null && request.topP() == null && request.stop().isEmpty()) {
      return;
    }
    json.writeObjectFieldStart("inferenceConfig");
    if (maxTokens != null) {
      json.writeNumberField("maxTokens", maxTokens);
    }
    if (request.temperature() != null) {
      // Converse takes 0..1 ("Member must have value less than or equal to 1"), OpenAI 0..2.
      json.writeNumberField("temperature", Math.max(0.0, Math.min(1.0, request.temperature())));
    }
    if (request.topP() != null) {
      json.writeNumberField("topP", request.topP());
    }
    if (!request.stop().isEmpty()) {
      json.writeArrayFieldStart("stopSequences");
      for (String stop : request.stop()) {
        json.writeString(stop);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  // ---- tools --------------------------------------------------------------------------------

  /**
   * {@code toolConfig}: the client's tools, the answer tool of a {@code response_format}, and the
   * choice. Converse has no "none": with {@code tool_choice: none} the tools are left out, unless
   * the conversation already holds tool blocks, which Bedrock only accepts with a {@code
   * toolConfig} ("The toolConfig field must be defined when using toolUse and toolResult content
   * blocks"); then the tools are sent without a choice, the closest Converse comes. For the same
   * reason, a conversation with tool blocks but no tools declares each tool it used, with an empty
   * schema.
   */
  private static void writeToolConfig(JsonGenerator json, ChatRequest request, boolean thinking) throws IOException {
    ResponseFormat format = request.responseFormat();
    String answerTool = AnswerTool.nameFor(format);
    ToolChoice choice = request.toolChoice();
    Set<String> used = toolsUsed(request.messages());
    boolean none = choice instanceof ToolChoice.None;
    List<ToolSpec> tools = none && used.isEmpty() ? List.of() : request.tools();
    if (tools.isEmpty() && answerTool == null && used.isEmpty()) {
      return;
    }
    json.writeObjectFieldStart("toolConfig");
    json.writeArrayFieldStart("tools");
    for (ToolSpec tool : tools) {
      writeToolSpec(json, tool.name(), tool.description(), tool.parameters() == null ? null : tool.parameters().json());
    }
    if (tools.isEmpty()) {
      for (String name : used) {
        writeToolSpec(json, name, null, null);
      }
    }
    if (answerTool != null
        && format instanceof ResponseFormat.JsonSchema(String name, String description, RawJson schema, Boolean strict)) {
      writeToolSpec(json, answerTool,
          description != null ? description : "Give your answer by calling this tool: its input is the answer.",
          schema == null ? "{\"type\":\"object\"}" : schema.json());
    } else if (answerTool != null) {
      writeToolSpec(json, answerTool,
          "Give your answer by calling this tool: its input is the answer, a JSON object.", "{\"type\":\"object\"}");
    }
    json.writeEndArray();
    if (answerTool != null) {
      // Claude refuses forced tool use while thinking ("Thinking may not be enabled when
      // tool_choice forces tool use"), so then the answer tool is only offered.
      writeChoice(json, thinking ? "auto" : "tool", thinking ? null : answerTool);
    } else if (choice != null) {
      switch (choice) {
        case ToolChoice.Auto() -> writeChoice(json, "auto", null);
        case ToolChoice.Required() -> writeChoice(json, "any", null);
        case ToolChoice.Function(String name) -> writeChoice(json, "tool", name);
        case ToolChoice.None() -> {}
      }
    }
    json.writeEndObject();
  }

  private static void writeChoice(JsonGenerator json, String kind, @Nullable String name) throws IOException {
    json.writeObjectFieldStart("toolChoice");
    json.writeObjectFieldStart(kind);
    if (name != null) {
      json.writeStringField("name", name);
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void writeToolSpec(JsonGenerator json, String name, @Nullable String description, @Nullable String schema)
      throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("toolSpec");
    json.writeStringField("name", name);
    if (description != null && !description.isBlank()) {
      json.writeStringField("description", description);
    }
    json.writeObjectFieldStart("inputSchema");
    json.writeFieldName("json");
    // inputSchema is required; a function without parameters takes an empty object.
    json.writeRawValue(schema == null ? EMPTY_OBJECT_SCHEMA : schema);
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndObject();
  }

  /** The names of the tools the conversation called; tool results alone count as a tool named {@code tool}. */
  private static Set<String> toolsUsed(List<Message> messages) {
    var names = new LinkedHashSet<String>();
    boolean results = false;
    for (Message message : messages) {
      message.toolCalls().forEach(call -> names.add(call.name()));
      results |= message.role() == Role.TOOL;
    }
    if (names.isEmpty() && results) {
      names.add("tool");
    }
    return names;
  }
}
