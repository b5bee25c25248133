package dev.switchboard.mock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.mock.MockPrompt.OutputFormat;
import dev.switchboard.mock.MockPrompt.Role;
import dev.switchboard.mock.MockPrompt.Tool;
import dev.switchboard.mock.MockPrompt.ToolMode;
import dev.switchboard.mock.MockPrompt.Turn;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's chat-completions dialect: request JSON to {@link MockPrompt}, and {@link MockAnswer} to
 * a {@code chat.completion} body or {@code chat.completion.chunk} stream payloads. Also OpenAI's
 * error envelope and model list. Thread-safe and stateless.
 *
 * <p>Streams follow OpenAI: the first delta carries {@code role}; reasoning deltas (OpenRouter's
 * {@code reasoning} field) come before content; a tool call starts with a delta carrying its id,
 * type, name and empty arguments, followed by argument fragments; a delta-less chunk carries the
 * finish reason; with {@code stream_options.include_usage} every chunk has {@code "usage":null} and
 * a last chunk has {@code "choices":[]} and the usage.
 */
final class OpenAiMockWire {
  static final String FINGERPRINT = "fp_mock";

  private final OpenAiMockEncoder encoder;

  OpenAiMockWire(JsonFactory json) {
    this.encoder = new OpenAiMockEncoder(json);
  }

  /**
   * A parsed request.
   *
   * @param includeUsage {@code stream_options.include_usage}
   */
  record Request(MockPrompt prompt, boolean stream, boolean includeUsage) {}

  /** Identity of one response, shared by its body or all of its chunks. */
  record Reply(String id, long created, String model) {}

  /** Reads a request; throws {@link IllegalArgumentException} with a client-safe message. */
  Request parse(JsonNode root) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("The request body must be a JSON object.");
    }
    JsonNode model = root.path("model");
    if (!model.isTextual() || model.textValue().isEmpty()) {
      throw new IllegalArgumentException("you must provide a model parameter");
    }
    JsonNode messages = root.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("'messages' must be a non-empty array");
    }
    List<Turn> turns = new ArrayList<>(messages.size());
    for (JsonNode message : messages) {
      turns.add(
          new Turn(
              role(message.path("role").asText()),
              text(message.path("content")),
              message.path("tool_calls").size()));
    }
    List<Tool> tools = new ArrayList<>();
    for (JsonNode tool : root.path("tools")) {
      JsonNode function = tool.path("function");
      if (tool.path("type").asText("function").equals("function") && function.has("name")) {
        JsonNode parameters = function.path("parameters");
        tools.add(
            new Tool(
                function.path("name").asText(),
                parameters.isObject() ? parameters : JsonNodeFactory.instance.objectNode()));
      }
    }
    MockPrompt prompt =
        new MockPrompt(
            model.textValue(),
            turns,
            tools,
            toolMode(root.path("tool_choice")),
            root.path("parallel_tool_calls").asBoolean(true),
            format(root.path("response_format")));
    return new Request(
        prompt,
        root.path("stream").asBoolean(false),
        root.path("stream_options").path("include_usage").asBoolean(false));
  }

  private static Role role(String role) {
    return switch (role) {
      case "system", "developer" -> Role.SYSTEM;
      case "assistant" -> Role.ASSISTANT;
      case "tool", "function" -> Role.TOOL;
      default -> Role.USER;
    };
  }

  // Content is a string or an array of parts; only text parts count.
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.textValue();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText().equals("text")) {
        if (!text.isEmpty()) {
          text.append('\n');
        }
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  private static ToolMode toolMode(JsonNode choice) {
    if (choice.isTextual()) {
      return choice.textValue().equals("none") ? new ToolMode.None() : new ToolMode.Any();
    }
    JsonNode name = choice.path("function").path("name");
    return name.isTextual() ? new ToolMode.Named(name.textValue()) : new ToolMode.Any();
  }

  private static OutputFormat format(JsonNode format) {
    return switch (format.path("type").asText()) {
      case "json_object" -> new OutputFormat.JsonObject();
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema").path("schema");
        yield new OutputFormat.JsonSchema(
            schema.isObject() ? schema : JsonNodeFactory.instance.objectNode());
      }
      default -> new OutputFormat.Text();
    };
  }

  /** A {@code chat.completion} body; {@code withUsage} false leaves usage out. */
  byte[] completion(Reply reply, MockAnswer answer, boolean withUsage) {
    return encoder.completion(reply, answer, withUsage);
  }

  /**
   * The payloads of a streamed answer, one per SSE event, without the {@code [DONE]} sentinel.
   *
   * @param pieces how many parts each streamed text is split into
   * @param usage whether to end with the usage chunk (and mark the others {@code "usage":null})
   */
  List<byte[]> chunks(Reply reply, MockAnswer answer, int pieces, boolean usage) {
    return encoder.chunks(reply, answer, pieces, usage);
  }

  /** The error envelope OpenAI sends with a non-2xx status. */
  byte[] error(int status, String message) {
    return write(
        g -> {
          g.writeObjectFieldStart("error");
          g.writeStringField("message", message);
          g.writeStringField("type", errorType(status));
          g.writeNullField("param");
          String code = errorCode(status);
          if (code == null) {
            g.writeNullField("code");
          } else {
            g.writeStringField("code", code);
          }
          g.writeEndObject();
        });
  }

  /** The frame OpenAI and OpenRouter send when a stream fails after it started. */
  byte[] streamError(String message) {
    return write(
        g -> {
          g.writeObjectFieldStart("error");
          g.writeStringField("message", message);
          g.writeStringField("type", "server_error");
          g.writeNumberField("code", 502);
          g.writeEndObject();
        });
  }

  /** The {@code GET /v1/models} list. */
  byte[] models(List<String> ids, long created) {
    return write(
        g -> {
          g.writeStringField("object", "list");
          g.writeArrayFieldStart("data");
          for (String id : ids) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "model");
            g.writeNumberField("created", created);
            g.writeStringField("owned_by", "switchboard-mock");
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  // Types and codes as OpenAI spells them where it has one (401 is "invalid_request_error" with
  // code "invalid_api_key" on api.openai.com); 529 is Anthropic's "overloaded" seen via proxies.
  static String errorType(int status) {
    return switch (status) {
      case 401 -> "invalid_request_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  static @Nullable String errorCode(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 403 -> "permission_denied";
      case 404 -> "model_not_found";
      case 429 -> "rate_limit_exceeded";
      case 503 -> "service_unavailable";
      case 529 -> "overloaded";
      default -> null;
    };
  }

  /** Writes a JSON object whose fields {@code body} produces. */
  private byte[] write(OpenAiMockEncoder.Fields body) {
    return encoder.object(body);
  }
}
