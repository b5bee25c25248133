package dev.switchboard.http.anthropic;

import static dev.switchboard.http.openai.JsonFields.array;
import static dev.switchboard.http.openai.JsonFields.bool;
import static dev.switchboard.http.openai.JsonFields.integer;
import static dev.switchboard.http.openai.JsonFields.invalid;
import static dev.switchboard.http.openai.JsonFields.number;
import static dev.switchboard.http.openai.JsonFields.object;
import static dev.switchboard.http.openai.JsonFields.requireString;
import static dev.switchboard.http.openai.JsonFields.string;
import static dev.switchboard.http.openai.JsonFields.strings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.http.openai.JsonFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads an Anthropic {@code POST /v1/messages} body into a {@link ChatRequest}, rejecting what is
 * malformed with a 400 that names the field. Only fields this reader maps reach the canonical
 * request: Anthropic's SDKs send nothing else that an upstream of another family could take, and
 * its own beta fields would be refused there (see {@code package-info} for each mapping).
 */
final class AnthropicRequestReader {
  private static final String TOOL_NAME = "[A-Za-z0-9_.-]{1,128}";

  private final ObjectReader json;
  private final AnthropicMessageReader messages;

  AnthropicRequestReader(ObjectMapper mapper) {
    // A second value after the object ("{…} {…}") is an error rather than silently ignored.
    this.json = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.messages = new AnthropicMessageReader();
  }

  /** A Messages request; {@code max_tokens} is required, as Anthropic requires it. */
  ChatRequest read(byte[] body) {
    return read(JsonFields.readObject(json, body), true);
  }

  /** A {@code count_tokens} request: the same body without {@code max_tokens}. */
  ChatRequest readForCounting(byte[] body) {
    return read(JsonFields.readObject(json, body), false);
  }

  private ChatRequest read(JsonNode root, boolean requireMaxTokens) {
    String model = string(root, "model", "");
    if (model == null || model.isBlank()) {
      throw new InvalidRequest("model", "model is required: name the model to use, for example"
          + " \"anthropic/claude-sonnet-4.5\" (GET /api/v1/models lists them)");
    }
    JsonNode messageArray = array(root, "messages", "");
    if (messageArray == null || messageArray.isEmpty()) {
      throw new InvalidRequest("messages", "messages is required and must contain at least one message");
    }
    Integer maxTokens = integer(root, "max_tokens", "", 1, Integer.MAX_VALUE);
    if (maxTokens == null && requireMaxTokens) {
      // Anthropic's API requires it; a client that leaves it out would be refused there too.
      throw new InvalidRequest("max_tokens", "max_tokens is required by the Messages API: the most tokens"
          + " the answer may have, for example 1024");
    }
    JsonNode metadata = object(root, "metadata", "");
    boolean stream = Boolean.TRUE.equals(bool(root, "stream", ""));
    ToolSettings toolSettings = toolChoice(root);
    return new ChatRequest(
        model,
        List.of(),
        messages.read(root.get("system"), messageArray),
        tools(root),
        toolSettings.choice(),
        toolSettings.parallel(),
        null,
        number(root, "temperature", "", 0, 1),
        number(root, "top_p", "", 0, 1),
        null,
        maxTokens,
        strings(root, "stop_sequences", "", false),
        null,
        null,
        metadata == null ? null : string(metadata, "user_id", "metadata"),
        stream,
        stream,
        ProviderPreferences.NONE,
        extra(root));
  }

  private static List<ToolSpec> tools(JsonNode root) {
    JsonNode tools = array(root, "tools", "");
    if (tools == null) {
      return List.of();
    }
    List<ToolSpec> result = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = tools.get(i);
      if (!tool.isObject()) {
        throw invalid("", path, "must be an object", tool);
      }
      String type = string(tool, "type", path);
      if (type != null && !type.equals("custom")) {
        // Server tools (web search, code execution, bash, text editor…) run inside Anthropic's API;
        // no other upstream could honour them, and silently dropping one would change the answer.
        throw new InvalidRequest(path + ".type", path + ".type '" + type
            + "' is an Anthropic server tool, which this gateway does not offer; define it as a custom tool"
            + " with an input_schema");
      }
      String name = requireString(tool, "name", path);
      if (!name.matches(TOOL_NAME)) {
        throw new InvalidRequest(path + ".name",
            path + ".name must be 1-128 letters, digits, '_', '.' or '-', got '" + name + "'");
      }
      JsonNode schema = object(tool, "input_schema", path);
      if (schema == null) {
        throw new InvalidRequest(path + ".input_schema", path + ".input_schema is required: the JSON Schema"
            + " of the tool's input, an object schema");
      }
      result.add(new ToolSpec(name, string(tool, "description", path), new RawJson(schema.toString()), null));
    }
    return result;
  }

  /** Anthropic's one {@code tool_choice} object: the canonical choice and parallel-call flag. */
  private record ToolSettings(@Nullable ToolChoice choice, @Nullable Boolean parallel) {}

  private static ToolSettings toolChoice(JsonNode root) {
    JsonNode node = object(root, "tool_choice", "");
    if (node == null) {
      return new ToolSettings(null, null);
    }
    String type = requireString(node, "type", "tool_choice");
    ToolChoice choice = switch (type) {
      case "auto" -> new ToolChoice.Auto();
      case "any" -> new ToolChoice.Required();
      case "none" -> new ToolChoice.None();
      case "tool" -> new ToolChoice.Function(requireString(node, "name", "tool_choice"));
      default -> throw new InvalidRequest("tool_choice.type",
          "tool_choice.type must be \"auto\", \"any\", \"tool\" or \"none\", got '" + type + "'");
    };
    Boolean disableParallel = bool(node, "disable_parallel_tool_use", "tool_choice");
    return new ToolSettings(choice, Boolean.TRUE.equals(disableParallel) ? Boolean.FALSE : null);
  }

  /**
   * The fields kept for upstreams, under the names the adapters read: {@code top_k} as itself,
   * {@code thinking} as OpenRouter's {@code reasoning} object, and a top-level {@code cache_control}
   * (automatic prompt caching, which Anthropic and OpenRouter both take). Nothing else: Anthropic's
   * beta fields would be refused by an upstream of another family.
   */
  private static Map<String, RawJson> extra(JsonNode root) {
    Map<String, RawJson> extra = new LinkedHashMap<>();
    Integer topK = integer(root, "top_k", "", 0, Integer.MAX_VALUE);
    if (topK != null) {
      extra.put("top_k", new RawJson(topK.toString()));
    }
    RawJson reasoning = reasoning(object(root, "thinking", ""));
    if (reasoning != null) {
      extra.put("reasoning", reasoning);
    }
    JsonNode cacheControl = object(root, "cache_control", "");
    if (cacheControl != null) {
      extra.put("cache_control", new RawJson(cacheControl.toString()));
    }
    return extra;
  }

  /**
   * {@code thinking} as OpenRouter's {@code reasoning}, which every adapter reads: a budget is
   * {@code {"max_tokens": N}} (the Anthropic adapter turns it back into the same budget);
   * {@code adaptive} lets the model decide, {@code {"enabled": true}}; {@code disabled} asks for
   * nothing.
   */
  private static @Nullable RawJson reasoning(@Nullable JsonNode thinking) {
    if (thinking == null) {
      return null;
    }
    String type = requireString(thinking, "type", "thinking");
    return switch (type) {
      case "enabled" -> {
        Integer budget = integer(thinking, "budget_tokens", "thinking", 1, Integer.MAX_VALUE);
        if (budget == null) {
          throw new InvalidRequest("thinking.budget_tokens",
              "thinking.budget_tokens is required when thinking is enabled, for example 2048");
        }
        yield new RawJson("{\"max_tokens\":" + budget + "}");
      }
      case "adaptive" -> new RawJson("{\"enabled\":true}");
      case "disabled" -> null;
      default -> throw new InvalidRequest("thinking.type",
          "thinking.type must be \"enabled\", \"adaptive\" or \"disabled\", got '" + type + "'");
    };
  }
}
