package dev.switchboard.mock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.mock.MockPrompt.OutputFormat;
import dev.switchboard.mock.MockPrompt.Role;
import dev.switchboard.mock.MockPrompt.Tool;
import dev.switchboard.mock.MockPrompt.ToolMode;
import dev.switchboard.mock.MockPrompt.Turn;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic's Messages dialect ({@code POST /v1/messages}, API version {@code 2023-06-01}): the
 * request to a {@link MockPrompt}, Anthropic's error envelope, and the answer through {@link
 * AnthropicMockEncoder}. Thread-safe and stateless.
 *
 * <p>Requests are held to the rules Anthropic enforces with a 400, so an adapter that breaks one
 * fails here as it would in production: the {@code anthropic-version} header, {@code model} and
 * {@code max_tokens} are required; roles are {@code user} and {@code assistant} (the system prompt
 * is top-level); content and text blocks must not be empty; a final assistant turn must not end in
 * whitespace; tool-use ids match {@code [a-zA-Z0-9_-]+} and every {@code tool_result} answers a
 * {@code tool_use} of the turn before; {@code temperature} is within 0..1. With {@code thinking}
 * on: {@code budget_tokens} is at least 1024 and below {@code max_tokens}, no forced tool choice,
 * no {@code top_k}, no {@code temperature} other than 1, a thinking block's {@code signature} must
 * be one the mock issued ({@link MockSignatures}), and a conversation ending in tool results must
 * answer an assistant turn that starts with a thinking block.
 *
 * <p>A request with thinking on gets thinking in its answer; {@code output_config.format} of type
 * {@code json_schema} (native structured outputs) is honoured like OpenAI's {@code json_schema}.
 */
final class AnthropicMockWire implements MockDialect {
  static final String VERSION_HEADER = "anthropic-version";
  static final String KEY_HEADER = "x-api-key";
  private static final Pattern TOOL_ID = Pattern.compile("[a-zA-Z0-9_-]+");
  private static final int MIN_BUDGET = 1024;

  private final AnthropicMockEncoder encoder;

  AnthropicMockWire(JsonFactory json) {
    this.encoder = new AnthropicMockEncoder(json);
  }

  /**
   * The key in {@code x-api-key}, or as {@code Authorization: Bearer}, which Anthropic also takes
   * and which its own Java SDK (3.x) sends.
   */
  @Override
  public @Nullable Rejection authenticate(MockCall call, String apiKey) {
    String given = call.header(KEY_HEADER);
    String authorization = call.header("authorization");
    if (given == null && authorization != null && authorization.startsWith("Bearer ")) {
      given = authorization.substring("Bearer ".length());
    }
    if (given != null
        && MessageDigest.isEqual(
            apiKey.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    String message = given == null ? "x-api-key header is required" : "invalid x-api-key";
    return new Rejection(401, error(401, message));
  }

  @Override
  public MockRequest parse(JsonNode root, MockCall call) {
    if (call.header(VERSION_HEADER) == null) {
      throw new IllegalArgumentException("anthropic-version: header is required");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("Input should be a valid dictionary");
    }
    JsonNode model = root.path("model");
    if (!model.isTextual() || model.textValue().isEmpty()) {
      throw new IllegalArgumentException("model: Field required");
    }
    JsonNode maxTokens = root.path("max_tokens");
    if (!maxTokens.isIntegralNumber() || maxTokens.asLong() < 1) {
      throw new IllegalArgumentException("max_tokens: Field required");
    }
    JsonNode messages = root.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("messages: Field required");
    }
    double temperature = root.path("temperature").asDouble(1);
    if (temperature < 0 || temperature > 1) {
      throw new IllegalArgumentException("temperature: range: 0..1");
    }
    List<Turn> turns = new ArrayList<>();
    system(root.path("system"), turns);
    Set<String> previousToolUses = Set.of();
    for (int i = 0; i < messages.size(); i++) {
      previousToolUses = message(messages.get(i), i, i == messages.size() - 1, previousToolUses, turns);
    }
    List<Tool> tools = new ArrayList<>();
    for (JsonNode tool : root.path("tools")) {
      // Server tools (web search, ...) have a type; the mock answers only client tools.
      if (tool.path("type").asText("custom").equals("custom") && tool.path("name").isTextual()) {
        JsonNode schema = tool.path("input_schema");
        tools.add(new Tool(tool.path("name").asText(), schema.isObject() ? schema : empty()));
      }
    }
    JsonNode choice = root.path("tool_choice");
    boolean thinking = thinking(root, maxTokens.asLong(), choice, messages);
    MockPrompt prompt =
        new MockPrompt(
            model.textValue(),
            turns,
            tools,
            toolMode(choice),
            !choice.path("disable_parallel_tool_use").asBoolean(false),
            format(root.path("output_config").path("format")));
    return new MockRequest(prompt, root.path("stream").asBoolean(false), true, thinking);
  }

  private static void system(JsonNode system, List<Turn> turns) {
    if (system.isTextual()) {
      turns.add(new Turn(Role.SYSTEM, system.textValue(), 0));
    } else if (system.isArray()) {
      turns.add(new Turn(Role.SYSTEM, text(system, "system"), 0));
    }
  }

  /** Reads one message into turns; returns the ids of its tool uses, which the next may answer. */
  private static Set<String> message(
      JsonNode message, int i, boolean last, Set<String> previousToolUses, List<Turn> turns) {
    String at = "messages." + i;
    String role = message.path("role").asText();
    if (!role.equals("user") && !role.equals("assistant")) {
      throw new IllegalArgumentException(at + ".role: Input should be 'user' or 'assistant'");
    }
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      if (content.textValue().isEmpty() && !(last && role.equals("assistant"))) {
        throw new IllegalArgumentException(
            at + ": all messages must have non-empty content except for the optional final"
                + " assistant message");
      }
      checkPrefill(role, last, content.textValue());
      turns.add(new Turn(role.equals("user") ? Role.USER : Role.ASSISTANT, content.textValue(), 0));
      return Set.of();
    }
    if (!content.isArray() || content.isEmpty()) {
      throw new IllegalArgumentException(
          at + ": all messages must have non-empty content except for the optional final"
              + " assistant message");
    }
    return role.equals("user")
        ? user(content, at, previousToolUses, turns)
        : assistant(content, at, last, turns);
  }

  private static Set<String> user(
      JsonNode content, String at, Set<String> previousToolUses, List<Turn> turns) {
    List<String> texts = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      if (block.path("type").asText().equals("tool_result")) {
        String id = block.path("tool_use_id").asText();
        if (!previousToolUses.contains(id)) {
          throw new IllegalArgumentException(
              at + ".content." + j + ": unexpected `tool_use_id` found in `tool_result` blocks: "
                  + id + ". Each `tool_result` block must have a corresponding `tool_use` block"
                  + " in the previous message.");
        }
        JsonNode result = block.path("content");
        turns.add(new Turn(Role.TOOL, result.isTextual() ? result.textValue() : text(result, at), 0));
      } else if (block.path("type").asText().equals("text")) {
        texts.add(blockText(block, at + ".content." + j));
      }
    }
    if (!texts.isEmpty()) {
      turns.add(new Turn(Role.USER, String.join("\n", texts), 0));
    }
    return Set.of();
  }

  private static Set<String> assistant(JsonNode content, String at, boolean last, List<Turn> turns) {
    List<String> texts = new ArrayList<>();
    Set<String> toolUses = new HashSet<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String where = at + ".content." + j;
      switch (block.path("type").asText()) {
        case "text" -> texts.add(blockText(block, where));
        case "tool_use" -> {
          String id = block.path("id").asText();
          if (!TOOL_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                where + ".id: String should match pattern '^[a-zA-Z0-9_-]+$'");
          }
          if (!block.path("input").isObject()) {
            throw new IllegalArgumentException(where + ".input: Input should be a valid dictionary");
          }
          toolUses.add(id);
        }
        case "thinking" -> {
          if (!MockSignatures.valid(
              block.path("signature").asText(""), block.path("thinking").asText(""))) {
            throw new IllegalArgumentException(where + ": Invalid `signature` in `thinking` block");
          }
        }
        default -> {}
      }
    }
    String text = String.join("\n", texts);
    checkPrefill("assistant", last, text);
    turns.add(new Turn(Role.ASSISTANT, text, toolUses.size()));
    return toolUses;
  }

  private static void checkPrefill(String role, boolean last, String text) {
    if (last && role.equals("assistant") && !text.equals(text.stripTrailing())) {
      throw new IllegalArgumentException(
          "messages: final assistant content cannot end with trailing whitespace");
    }
  }

  private static String blockText(JsonNode block, String at) {
    String text = block.path("text").asText("");
    if (text.isEmpty()) {
      throw new IllegalArgumentException(at + ": text content blocks must be non-empty");
    }
    return text;
  }

  /** The text blocks of a block array, joined. */
  private static String text(JsonNode blocks, String at) {
    List<String> texts = new ArrayList<>();
    for (JsonNode block : blocks) {
      if (block.path("type").asText().equals("text")) {
        texts.add(blockText(block, at));
      }
    }
    return String.join("\n", texts);
  }

  /** Whether thinking is on, after Anthropic's checks of the settings that go with it. */
  private static boolean thinking(JsonNode root, long maxTokens, JsonNode choice, JsonNode messages) {
    JsonNode thinking = root.path("thinking");
    String type = thinking.path("type").asText("disabled");
    if (type.equals("disabled")) {
      return false;
    }
    if (type.equals("enabled")) {
      long budget = thinking.path("budget_tokens").asLong(0);
      if (budget < MIN_BUDGET) {
        throw new IllegalArgumentException(
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
      }
      if (maxTokens <= budget) {
        throw new IllegalArgumentException(
            "`max_tokens` must be greater than `thinking.budget_tokens`");
      }
    }
    String forced = choice.path("type").asText("auto");
    if (forced.equals("any") || forced.equals("tool")) {
      throw new IllegalArgumentException(
          "Thinking may not be enabled when tool_choice forces tool use.");
    }
    if (root.has("top_k")) {
      throw new IllegalArgumentException("`top_k` is not compatible with thinking");
    }
    if (root.has("temperature") && root.path("temperature").asDouble() != 1) {
      throw new IllegalArgumentException(
          "`temperature` may only be set to 1 when thinking is enabled");
    }
    JsonNode lastMessage = messages.get(messages.size() - 1);
    if (messages.size() > 1 && endsInToolResults(lastMessage)) {
      JsonNode opening = messages.get(messages.size() - 2).path("content").path(0);
      String first = opening.path("type").asText("text");
      if (!first.equals("thinking") && !first.equals("redacted_thinking")) {
        throw new IllegalArgumentException(
            "messages." + (messages.size() - 2) + ".content.0.type: Expected `thinking` or"
                + " `redacted_thinking`, but found `" + first + "`. When `thinking` is enabled, a"
                + " final `assistant` message must start with a thinking block.");
      }
    }
    return true;
  }

  private static boolean endsInToolResults(JsonNode message) {
    return message.path("role").asText().equals("user")
        && message.path("content").path(0).path("type").asText().equals("tool_result");
  }

  private static ToolMode toolMode(JsonNode choice) {
    return switch (choice.path("type").asText("auto")) {
      case "none" -> new ToolMode.None();
      case "tool" -> new ToolMode.Named(choice.path("name").asText());
      default -> new ToolMode.Any();
    };
  }

  private static OutputFormat format(JsonNode format) {
    if (format.path("type").asText().equals("json_schema") && format.path("schema").isObject()) {
      return new OutputFormat.JsonSchema(format.path("schema"));
    }
    return new OutputFormat.Text();
  }

  private static JsonNode empty() {
    return JsonNodeFactory.instance.objectNode();
  }

  @Override
  public String responseId(long n) {
    return "msg_mock_" + n;
  }

  @Override
  public byte[] completion(MockReply reply, MockAnswer answer, boolean withUsage) {
    return encoder.message(reply, answer, withUsage);
  }

  @Override
  public List<MockChunks.Event> events(
      MockReply reply, MockAnswer answer, int pieces, boolean usage) {
    return encoder.events(reply, answer, pieces, usage);
  }

  /** Anthropic's stream ends with {@code message_stop}; the body then just ends. */
  @Override
  public @Nullable Buffer endOfStream() {
    return null;
  }

  /** The {@code event: error} Anthropic sends mid-stream, typically when it is overloaded. */
  @Override
  public MockChunks.Event streamError(@Nullable Integer status, String message) {
    String type = status == null ? "overloaded_error" : errorType(status);
    return new MockChunks.Event("error", encoder.error(type, message));
  }

  /** Anthropic's envelope: {@code {"type":"error","error":{"type":…,"message":…}}}. */
  @Override
  public byte[] error(int status, String message) {
    return encoder.error(errorType(status), message);
  }

  /** The error {@code type} Anthropic documents for a status (https://docs.claude.com/en/api/errors). */
  static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
