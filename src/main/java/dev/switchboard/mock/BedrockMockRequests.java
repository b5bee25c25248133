package dev.switchboard.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.mock.MockPrompt.OutputFormat;
import dev.switchboard.mock.MockPrompt.Role;
import dev.switchboard.mock.MockPrompt.Tool;
import dev.switchboard.mock.MockPrompt.ToolMode;
import dev.switchboard.mock.MockPrompt.Turn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a Converse request body into a {@link MockRequest}, holding it to the rules Bedrock (or the
 * Claude model behind it, whose errors Bedrock relays as "The model returned the following errors:
 * …") enforces with a 400 {@code ValidationException}, so an adapter that breaks one fails here as
 * it would in production:
 *
 * <ul>
 *   <li>{@code messages} start with a user turn and alternate between {@code user} and {@code
 *       assistant}; every turn has content; every block has exactly one known member; text (in
 *       turns and in {@code system}) is not blank; a final assistant turn does not end in
 *       whitespace;
 *   <li>images are png, jpeg, gif or webp and documents one of Bedrock's nine formats, with {@code
 *       source.bytes} valid base64 (or an S3 location); document names use only letters, digits,
 *       single spaces, hyphens, parentheses and brackets;
 *   <li>{@code toolUse} only in assistant turns, with ids matching {@code [a-zA-Z0-9_-]+}; every
 *       {@code toolResult} (only in user turns) answers a {@code toolUse} of the turn before, and
 *       every such {@code toolUse} is answered; tool blocks need a {@code toolConfig}; tool names
 *       are unique and match {@code [a-zA-Z0-9_-]{1,64}}, input schemas are object schemas; a
 *       {@code toolChoice} names a declared tool, and {@code any} or {@code tool} only for the
 *       models that support them (ids with {@code anthropic.}, {@code mistral.mistral-large} or
 *       {@code amazon.nova});
 *   <li>{@code inferenceConfig.temperature} and {@code topP} are within 0..1, {@code maxTokens} at
 *       least 1;
 *   <li>{@code additionalModelRequestFields} only for Claude ({@code anthropic.} in the id; other
 *       models reject keys they do not know), and with {@code thinking} on Claude's rules: a budget
 *       of at least 1024 below {@code maxTokens}, no forced tool, {@code temperature} only 1,
 *       {@code topP} only from 0.95, no {@code top_k}, a signed {@code reasoningContent} opening
 *       the assistant turn that a final tool-result turn answers; any {@code reasoningText} must
 *       carry a signature the mock issued ({@link MockSignatures}).
 * </ul>
 *
 * <p>Stricter than Bedrock in one way, on purpose: unknown top-level and {@code inferenceConfig}
 * fields are rejected, as an adapter has no reason to send one. Thinking on (or {@code
 * #mock:reasoning}) gets reasoning in the answer.
 */
final class BedrockMockRequests {
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "messages",
          "system",
          "inferenceConfig",
          "toolConfig",
          "guardrailConfig",
          "additionalModelRequestFields",
          "additionalModelResponseFieldPaths",
          "promptVariables",
          "requestMetadata",
          "performanceConfig");
  private static final Set<String> INFERENCE =
      Set.of("maxTokens", "temperature", "topP", "stopSequences");
  private static final Set<String> USER_BLOCKS =
      Set.of("text", "image", "document", "video", "toolResult", "guardContent", "cachePoint");
  private static final Set<String> ASSISTANT_BLOCKS =
      Set.of("text", "toolUse", "reasoningContent", "citationsContent", "cachePoint");
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern TOOL_USE_ID = Pattern.compile("[a-zA-Z0-9_-]+");
  private static final String MODEL_SAYS = "The model returned the following errors: ";
  private static final int MIN_BUDGET = 1024;

  private BedrockMockRequests() {}

  /**
   * @param modelId the model id from the path, unescaped
   * @throws IllegalArgumentException with Bedrock's message, answered as a 400
   */
  static MockRequest parse(JsonNode root, String modelId, boolean stream) {
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          "Malformed input request, please reformat your input and try again.");
    }
    root.fieldNames().forEachRemaining(name -> known(TOP_LEVEL, name, ""));
    JsonNode messages = root.path("messages");
    if (!messages.isArray()) {
      throw new IllegalArgumentException(
          "1 validation error detected: Value null at 'messages' failed to satisfy constraint:"
              + " Member must not be null");
    }
    List<Turn> turns = new ArrayList<>();
    system(root.path("system"), turns);
    Set<String> open = Set.of();
    boolean toolBlocks = false;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asText();
      if (!role.equals("user") && !role.equals("assistant")) {
        throw new IllegalArgumentException(
            "1 validation error detected: Value '"
                + role
                + "' at 'messages."
                + (i + 1)
                + ".member.role' failed to satisfy constraint: Member must satisfy enum value set:"
                + " [user, assistant]");
      }
      if (i == 0 ? !role.equals("user") : role.equals(messages.get(i - 1).path("role").asText())) {
        throw new IllegalArgumentException(
            i == 0
                ? "A conversation must start with a user message. Try again with a conversation"
                    + " that starts with a user message."
                : "A conversation must alternate between user and assistant roles. Make sure the"
                    + " conversation alternates between user and assistant roles and try again.");
      }
      JsonNode content = message.path("content");
      if (!content.isArray() || content.isEmpty()) {
        throw new IllegalArgumentException(
            "The content field in the Message object at messages."
                + i
                + " is empty. Add a ContentBlock object to the content field and try again.");
      }
      boolean last = i == messages.size() - 1;
      Set<String> uses =
          role.equals("user") ? user(content, i, open, turns) : assistant(content, i, last, turns);
      toolBlocks |= !open.isEmpty() || !uses.isEmpty();
      open = uses;
    }
    if (turns.stream().noneMatch(t -> t.role() == Role.USER || t.role() == Role.TOOL)) {
      throw new IllegalArgumentException(
          "A conversation must start with a user message. Try again with a conversation that starts"
              + " with a user message.");
    }
    JsonNode toolConfig = root.path("toolConfig");
    if (toolBlocks && !toolConfig.isObject()) {
      throw new IllegalArgumentException(
          "The toolConfig field must be defined when using toolUse and toolResult content blocks.");
    }
    List<Tool> tools = BedrockMockBlocks.tools(toolConfig);
    JsonNode choice = toolConfig.path("toolChoice");
    ToolMode mode = BedrockMockBlocks.toolMode(choice, tools, modelId);
    JsonNode inference = inference(root.path("inferenceConfig"));
    boolean forced = choice.has("any") || choice.has("tool");
    boolean thinking =
        thinking(root.path("additionalModelRequestFields"), modelId, inference, forced, messages);
    MockPrompt prompt = new MockPrompt(modelId, turns, tools, mode, true, new OutputFormat.Text());
    return new MockRequest(prompt, stream, true, thinking);
  }

  private static void known(Set<String> names, String name, String at) {
    if (!names.contains(name)) {
      throw new IllegalArgumentException(
          "Unknown field '" + at + name + "': Bedrock's Converse API has no such field.");
    }
  }

  private static void system(JsonNode system, List<Turn> turns) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      if (block.has("text")) {
        texts.add(
            BedrockMockBlocks.nonBlank(block.path("text"), "SystemContentBlock", "system." + i));
      }
    }
    if (!texts.isEmpty()) {
      turns.add(new Turn(Role.SYSTEM, String.join("\n", texts), 0));
    }
  }

  /** A user turn: tool results, then the user's own words. Returns no open tool uses. */
  private static Set<String> user(JsonNode content, int i, Set<String> open, List<Turn> turns) {
    List<String> texts = new ArrayList<>();
    Set<String> answered = new HashSet<>();
    for (int j = 0; j < content.size(); j++) {
      String at = "messages." + i + ".content." + j;
      JsonNode block = content.get(j);
      switch (BedrockMockBlocks.member(block, at, USER_BLOCKS, "user")) {
        case "text" ->
            texts.add(BedrockMockBlocks.nonBlank(block.path("text"), "ContentBlock", at));
        case "image" -> BedrockMockBlocks.image(block.path("image"), at + ".image");
        case "document" -> BedrockMockBlocks.document(block.path("document"), at + ".document");
        case "toolResult" -> {
          JsonNode result = block.path("toolResult");
          String id = result.path("toolUseId").asText();
          if (!open.contains(id)) {
            throw new IllegalArgumentException(
                MODEL_SAYS
                    + at
                    + ": unexpected `tool_use_id` found in `tool_result`"
                    + " blocks: "
                    + id
                    + ". Each `tool_result` block must have a corresponding `tool_use` block in the"
                    + " previous message.");
          }
          answered.add(id);
          turns.add(
              new Turn(Role.TOOL, BedrockMockBlocks.toolResultText(result.path("content"), at), 0));
        }
        default -> {}
      }
    }
    if (!answered.containsAll(open)) {
      Set<String> missing = new LinkedHashSet<>(open);
      missing.removeAll(answered);
      throw new IllegalArgumentException(
          "Expected toolResult blocks at messages."
              + i
              + ".content for the following Ids: "
              + String.join(", ", missing));
    }
    if (!texts.isEmpty()) {
      turns.add(new Turn(Role.USER, String.join("\n", texts), 0));
    }
    return Set.of();
  }

  /** An assistant turn; returns the ids of its tool uses, which the next turn must answer. */
  private static Set<String> assistant(JsonNode content, int i, boolean last, List<Turn> turns) {
    List<String> texts = new ArrayList<>();
    Set<String> uses = new LinkedHashSet<>();
    for (int j = 0; j < content.size(); j++) {
      String at = "messages." + i + ".content." + j;
      JsonNode block = content.get(j);
      switch (BedrockMockBlocks.member(block, at, ASSISTANT_BLOCKS, "assistant")) {
        case "text" ->
            texts.add(BedrockMockBlocks.nonBlank(block.path("text"), "ContentBlock", at));
        case "toolUse" -> {
          JsonNode use = block.path("toolUse");
          String id = use.path("toolUseId").asText();
          if (!TOOL_USE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                "1 validation error detected: Value '"
                    + id
                    + "' at '"
                    + at
                    + ".toolUse.toolUseId' failed to satisfy constraint: Member must satisfy"
                    + " regular expression pattern: [a-zA-Z0-9_-]+");
          }
          if (!TOOL_NAME.matcher(use.path("name").asText()).matches() || !use.has("input")) {
            throw new IllegalArgumentException(
                "The toolUse block at " + at + " needs a name and an input.");
          }
          uses.add(id);
        }
        case "reasoningContent" -> {
          JsonNode text = block.path("reasoningContent").path("reasoningText");
          if (text.isObject()
              && !MockSignatures.valid(
                  text.path("signature").asText(""), text.path("text").asText(""))) {
            throw new IllegalArgumentException(
                MODEL_SAYS + at + ": Invalid `signature` in `thinking` block");
          }
        }
        default -> {}
      }
    }
    String text = String.join("\n", texts);
    if (last && !text.equals(text.stripTrailing())) {
      throw new IllegalArgumentException(
          MODEL_SAYS + "final assistant content cannot end with trailing whitespace");
    }
    turns.add(new Turn(Role.ASSISTANT, text, uses.size()));
    return uses;
  }

  private static JsonNode inference(JsonNode config) {
    if (config.isMissingNode()) {
      return JsonNodeFactory.instance.objectNode();
    }
    config.fieldNames().forEachRemaining(name -> known(INFERENCE, name, "inferenceConfig."));
    if (config.has("maxTokens")
        && (!config.get("maxTokens").isIntegralNumber() || config.get("maxTokens").asLong() < 1)) {
      throw new IllegalArgumentException(
          "1 validation error detected: Value at 'inferenceConfig.maxTokens' failed"
              + " to satisfy constraint: Member must have value greater than or equal to 1");
    }
    for (String unit : List.of("temperature", "topP")) {
      double value = config.path(unit).asDouble(0);
      if (value < 0 || value > 1) {
        throw new IllegalArgumentException(
            "1 validation error detected: Value '"
                + value
                + "' at 'inferenceConfig."
                + unit
                + "' failed to satisfy constraint: Member must have value less than or equal to 1");
      }
    }
    return config;
  }

  /** Whether Claude's extended thinking is on, after Claude's checks of what goes with it. */
  private static boolean thinking(
      JsonNode fields, String modelId, JsonNode inference, boolean forcedTool, JsonNode messages) {
    if (fields.isMissingNode() || fields.isEmpty()) {
      return false;
    }
    if (!modelId.contains("anthropic.")) {
      throw new IllegalArgumentException(
          MODEL_SAYS
              + "Malformed input request: #: extraneous key ["
              + fields.fieldNames().next()
              + "] is not permitted, please reformat your input and try again.");
    }
    JsonNode thinking = fields.path("thinking");
    if (!thinking.path("type").asText("disabled").equals("enabled")) {
      return false;
    }
    long budget = thinking.path("budget_tokens").asLong(0);
    if (budget < MIN_BUDGET) {
      throw new IllegalArgumentException(
          MODEL_SAYS
              + "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    }
    if (inference.has("maxTokens") && inference.get("maxTokens").asLong() <= budget) {
      throw new IllegalArgumentException(
          MODEL_SAYS + "`max_tokens` must be greater than `thinking.budget_tokens`");
    }
    if (forcedTool) {
      throw new IllegalArgumentException(
          MODEL_SAYS + "Thinking may not be enabled when tool_choice forces tool use.");
    }
    if (inference.has("temperature") && inference.get("temperature").asDouble() != 1) {
      throw new IllegalArgumentException(
          MODEL_SAYS + "`temperature` may only be set to 1 when thinking is enabled.");
    }
    if (inference.has("topP") && inference.get("topP").asDouble() < 0.95) {
      throw new IllegalArgumentException(
          MODEL_SAYS
              + "`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.");
    }
    if (fields.has("top_k")) {
      throw new IllegalArgumentException(MODEL_SAYS + "`top_k` is not compatible with thinking");
    }
    int last = messages.size() - 1;
    if (last > 0 && messages.get(last).path("content").path(0).has("toolResult")) {
      JsonNode opening = messages.get(last - 1).path("content").path(0);
      if (!opening.has("reasoningContent")) {
        throw new IllegalArgumentException(
            MODEL_SAYS
                + "messages."
                + (last - 1)
                + ".content.0.type: Expected"
                + " `thinking` or `redacted_thinking`, but found `"
                + (opening.has("toolUse") ? "tool_use" : "text")
                + "`. When `thinking` is enabled, a final `assistant` message must start with a"
                + " thinking block.");
      }
    }
    return true;
  }
}
