package dev.switchboard.http.responses;

import static dev.switchboard.http.openai.JsonFields.array;
import static dev.switchboard.http.openai.JsonFields.bool;
import static dev.switchboard.http.openai.JsonFields.integer;
import static dev.switchboard.http.openai.JsonFields.invalid;
import static dev.switchboard.http.openai.JsonFields.number;
import static dev.switchboard.http.openai.JsonFields.object;
import static dev.switchboard.http.openai.JsonFields.requireString;
import static dev.switchboard.http.openai.JsonFields.string;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.http.openai.JsonFields;
import dev.switchboard.http.openai.ProviderPreferencesReader;
import dev.switchboard.http.openai.RequestedModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads an OpenAI Responses {@code POST /responses} body into a canonical {@link ChatRequest},
 * refusing what a stateless gateway cannot do with a 400 that says what to send instead. See the
 * package documentation for the mapping.
 */
final class ResponsesRequestReader {
  static final String STATELESS = "this gateway's Responses API is stateless (like OpenRouter's): send the whole"
      + " conversation in `input`; `store` must be false or absent";

  private final ObjectReader json;
  private final ObjectMapper mapper;
  private final ResponsesInputReader input = new ResponsesInputReader();

  ResponsesRequestReader(ObjectMapper mapper) {
    this.mapper = mapper;
    this.json = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  ChatRequest read(byte[] body) {
    return read(JsonFields.readObject(json, body));
  }

  ChatRequest read(JsonNode root) {
    refuseState(root);
    RequestedModels requested = RequestedModels.forChat(root);
    String model = requested.model();
    List<String> fallbacks = requested.fallbacks();
    List<Message> messages = new ArrayList<>();
    String instructions = string(root, "instructions", "");
    if (instructions != null && !instructions.isEmpty()) {
      messages.add(Message.text(Role.SYSTEM, instructions));
    }
    messages.addAll(input.read(root.get("input")));

    return new ChatRequest(
        model,
        fallbacks,
        messages,
        tools(root),
        toolChoice(root),
        bool(root, "parallel_tool_calls", ""),
        responseFormat(root),
        number(root, "temperature", "", 0, 2),
        number(root, "top_p", "", 0, 1),
        null,
        integer(root, "max_output_tokens", "", 1, Integer.MAX_VALUE),
        List.of(),
        null,
        null,
        string(root, "user", ""),
        Boolean.TRUE.equals(bool(root, "stream", "")),
        false,
        ProviderPreferencesReader.read(object(root, "provider", "")),
        extra(root));
  }

  /** The fields that need state the gateway does not keep, each refused with the same advice. */
  private static void refuseState(JsonNode root) {
    if (Boolean.TRUE.equals(bool(root, "store", ""))) {
      throw new InvalidRequest("store", STATELESS);
    }
    for (String field : List.of("previous_response_id", "conversation", "prompt")) {
      JsonNode node = root.get(field);
      if (node != null && !node.isNull()) {
        throw new InvalidRequest(field, STATELESS + " (`" + field + "` needs stored state)");
      }
    }
    if (Boolean.TRUE.equals(bool(root, "background", ""))) {
      throw new InvalidRequest("background", STATELESS + " (`background` responses are polled from storage)");
    }
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
      String type = requireString(tool, "type", path);
      if (!type.equals("function")) {
        throw new InvalidRequest(path + ".type", path + ".type '" + type + "' is not supported: this gateway"
            + " supports only function tools ({\"type\":\"function\",\"name\",\"parameters\"}), not hosted tools");
      }
      String name = requireString(tool, "name", path);
      if (!name.matches("[A-Za-z0-9_.-]{1,128}")) {
        throw new InvalidRequest(path + ".name",
            path + ".name must be 1-128 letters, digits, '_', '.' or '-', got '" + name + "'");
      }
      JsonNode parameters = tool.get("parameters");
      if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
        throw invalid(path, "parameters", "must be a JSON Schema object", parameters);
      }
      result.add(new ToolSpec(name, string(tool, "description", path),
          parameters == null || parameters.isNull() ? null : RawJson.of(parameters.toString()),
          bool(tool, "strict", path)));
    }
    return result;
  }

  private static @Nullable ToolChoice toolChoice(JsonNode root) {
    JsonNode node = root.get("tool_choice");
    if (node == null || node.isNull()) {
      return null;
    }
    String expected = "tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"name\":…}";
    if (node.isTextual()) {
      return switch (node.textValue()) {
        case "auto" -> new ToolChoice.Auto();
        case "none" -> new ToolChoice.None();
        case "required" -> new ToolChoice.Required();
        default -> throw new InvalidRequest("tool_choice", expected + ", got '" + node.textValue() + "'");
      };
    }
    if (!node.isObject()) {
      throw invalid("", "tool_choice", "must be a string or an object", node);
    }
    String type = requireString(node, "type", "tool_choice");
    if (!type.equals("function")) {
      throw new InvalidRequest("tool_choice.type", expected + "; this gateway supports only function tools,"
          + " got type '" + type + "'");
    }
    return new ToolChoice.Function(requireString(node, "name", "tool_choice"));
  }

  private static @Nullable ResponseFormat responseFormat(JsonNode root) {
    JsonNode text = object(root, "text", "");
    JsonNode format = text == null ? null : object(text, "format", "text");
    if (format == null) {
      return null;
    }
    String path = "text.format";
    String type = requireString(format, "type", path);
    return switch (type) {
      case "text" -> new ResponseFormat.Text();
      case "json_object" -> new ResponseFormat.JsonObject();
      case "json_schema" -> {
        JsonNode schema = format.get("schema");
        if (schema != null && !schema.isNull() && !schema.isObject()) {
          throw invalid(path, "schema", "must be a JSON Schema object", schema);
        }
        yield new ResponseFormat.JsonSchema(requireString(format, "name", path), string(format, "description", path),
            schema == null || schema.isNull() ? null : RawJson.of(schema.toString()), bool(format, "strict", path));
      }
      default -> throw new InvalidRequest("text.format.type",
          "text.format.type must be \"text\", \"json_object\" or \"json_schema\", got '" + type + "'");
    };
  }

  /**
   * What goes to the upstream beside the canonical fields: only OpenRouter's {@code reasoning}
   * object, built from {@code reasoning.effort} (and OpenRouter's own {@code max_tokens}, {@code
   * exclude}, {@code enabled} when given). Every other Responses field is a Responses setting that
   * a chat upstream would refuse.
   */
  private Map<String, RawJson> extra(JsonNode root) {
    JsonNode reasoning = object(root, "reasoning", "");
    if (reasoning == null) {
      return Map.of();
    }
    ObjectNode forwarded = mapper.createObjectNode();
    String effort = string(reasoning, "effort", "reasoning");
    if (effort != null) {
      forwarded.put("effort", effort);
    }
    Integer maxTokens = integer(reasoning, "max_tokens", "reasoning", 0, Integer.MAX_VALUE);
    if (maxTokens != null) {
      forwarded.put("max_tokens", maxTokens);
    }
    for (String flag : List.of("exclude", "enabled")) {
      Boolean value = bool(reasoning, flag, "reasoning");
      if (value != null) {
        forwarded.put(flag, value);
      }
    }
    return forwarded.isEmpty() ? Map.of() : Map.of("reasoning", RawJson.of(forwarded.toString()));
  }
}
