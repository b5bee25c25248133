package dev.switchboard.http.openai;

import static dev.switchboard.http.openai.JsonFields.array;
import static dev.switchboard.http.openai.JsonFields.bool;
import static dev.switchboard.http.openai.JsonFields.integer;
import static dev.switchboard.http.openai.JsonFields.invalid;
import static dev.switchboard.http.openai.JsonFields.longValue;
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
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads an OpenAI/OpenRouter {@code POST /chat/completions} body into a {@link ChatRequest},
 * rejecting what is malformed with a 400 that names the field. Fields it does not interpret are
 * kept verbatim for OpenAI-compatible upstreams.
 */
public final class OpenAiRequestReader {
  /** Fields read into the canonical request, plus OpenRouter's gateway-only fields. */
  private static final Set<String> INTERPRETED = Set.of(
      "model", "models", "messages", "tools", "tool_choice", "parallel_tool_calls",
      "response_format", "temperature", "top_p", "seed", "max_tokens", "max_completion_tokens",
      "stop", "logprobs", "top_logprobs", "user", "stream", "stream_options", "provider",
      // OpenRouter request fields that steer the gateway and must never reach an upstream.
      "route", "transforms", "usage", "plugins", "session_id");

  private final ObjectReader json;
  private final OpenAiMessageReader messages;

  public OpenAiRequestReader(ObjectMapper json) {
    // A second value after the object ("{…} {…}") is an error rather than silently ignored.
    this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.messages = new OpenAiMessageReader(json);
  }

  public ChatRequest read(byte[] body) {
    return read(JsonFields.readObject(json, body));
  }

  ChatRequest read(JsonNode root) {
    RequestedModels requested = RequestedModels.forChat(root);
    String model = requested.model();
    List<String> fallbacks = requested.fallbacks();
    JsonNode messageArray = array(root, "messages", "");
    if (messageArray == null || messageArray.isEmpty()) {
      throw new InvalidRequest("messages", "messages is required and must contain at least one message");
    }
    List<Message> conversation = messages.readAll(messageArray);

    Integer maxTokens = integer(root, "max_completion_tokens", "", 1, Integer.MAX_VALUE);
    if (maxTokens == null) {
      maxTokens = integer(root, "max_tokens", "", 1, Integer.MAX_VALUE);
    }
    boolean stream = Boolean.TRUE.equals(bool(root, "stream", ""));
    JsonNode streamOptions = object(root, "stream_options", "");
    boolean streamUsage = streamOptions != null && Boolean.TRUE.equals(bool(streamOptions, "include_usage", "stream_options"));

    return new ChatRequest(
        model,
        fallbacks,
        conversation,
        tools(root),
        toolChoice(root),
        bool(root, "parallel_tool_calls", ""),
        responseFormat(root),
        number(root, "temperature", "", 0, 2),
        number(root, "top_p", "", 0, 1),
        longValue(root, "seed", ""),
        maxTokens,
        strings(root, "stop", "", true),
        bool(root, "logprobs", ""),
        integer(root, "top_logprobs", "", 0, 20),
        string(root, "user", ""),
        stream,
        streamUsage,
        ProviderPreferencesReader.read(object(root, "provider", "")),
        extra(root),
        sessionId(root));
  }

  /** OpenRouter's {@code session_id}: at most 256 characters. */
  private static @Nullable String sessionId(JsonNode root) {
    String sessionId = string(root, "session_id", "");
    if (sessionId != null && (sessionId.isEmpty() || sessionId.length() > 256)) {
      throw new InvalidRequest("session_id", "session_id must be 1 to 256 characters, got " + sessionId.length());
    }
    return sessionId;
  }

  private List<ToolSpec> tools(JsonNode root) {
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
      if (type != null && !type.equals("function")) {
        throw new InvalidRequest(path + ".type", path + ".type '" + type + "' is not supported; use \"function\"");
      }
      JsonNode function = object(tool, "function", path);
      if (function == null) {
        throw new InvalidRequest(path + ".function", path + ".function is required");
      }
      String fpath = path + ".function";
      String name = requireString(function, "name", fpath);
      if (!name.matches("[A-Za-z0-9_.-]{1,128}")) {
        throw new InvalidRequest(fpath + ".name", fpath + ".name must be 1-128 letters, digits, '_', '.' or '-', got '" + name + "'");
      }
      JsonNode parameters = function.get("parameters");
      if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
        throw invalid(fpath, "parameters", "must be a JSON Schema object", parameters);
      }
      result.add(new ToolSpec(name, string(function, "description", fpath),
          parameters == null || parameters.isNull() ? null : raw(parameters), bool(function, "strict", fpath)));
    }
    return result;
  }

  private static @Nullable ToolChoice toolChoice(JsonNode root) {
    JsonNode node = root.get("tool_choice");
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return switch (node.textValue()) {
        case "auto" -> new ToolChoice.Auto();
        case "none" -> new ToolChoice.None();
        case "required" -> new ToolChoice.Required();
        default -> throw new InvalidRequest("tool_choice",
            "tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}, got '" + node.textValue() + "'");
      };
    }
    JsonNode function = node.isObject() ? node.get("function") : null;
    if (function == null || !function.isObject() || !function.path("name").isTextual()) {
      throw new InvalidRequest("tool_choice",
          "tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}");
    }
    return new ToolChoice.Function(function.get("name").textValue());
  }

  private @Nullable ResponseFormat responseFormat(JsonNode root) {
    JsonNode node = object(root, "response_format", "");
    if (node == null) {
      return null;
    }
    String type = requireString(node, "type", "response_format");
    return switch (type) {
      case "text" -> new ResponseFormat.Text();
      case "json_object" -> new ResponseFormat.JsonObject();
      case "json_schema" -> {
        JsonNode schema = object(node, "json_schema", "response_format");
        if (schema == null) {
          throw new InvalidRequest("response_format.json_schema",
              "response_format.json_schema is required when type is \"json_schema\"");
        }
        String path = "response_format.json_schema";
        JsonNode body = schema.get("schema");
        if (body != null && !body.isNull() && !body.isObject()) {
          throw invalid(path, "schema", "must be a JSON Schema object", body);
        }
        yield new ResponseFormat.JsonSchema(requireString(schema, "name", path), string(schema, "description", path),
            body == null || body.isNull() ? null : raw(body), bool(schema, "strict", path));
      }
      default -> throw new InvalidRequest("response_format.type",
          "response_format.type must be \"text\", \"json_object\" or \"json_schema\", got '" + type + "'");
    };
  }

  private Map<String, RawJson> extra(JsonNode root) {
    Map<String, RawJson> extra = new LinkedHashMap<>();
    for (var field : root.properties()) {
      if (!INTERPRETED.contains(field.getKey())) {
        extra.put(field.getKey(), raw(field.getValue()));
      }
    }
    return extra;
  }

  private RawJson raw(JsonNode node) {
    return new RawJson(node.toString());
  }
}
