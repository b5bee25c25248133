package dev.switchboard.mock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import dev.switchboard.mock.MockPrompt.OutputFormat;
import dev.switchboard.mock.MockPrompt.Role;
import dev.switchboard.mock.MockPrompt.Tool;
import dev.switchboard.mock.MockPrompt.ToolMode;
import dev.switchboard.mock.MockPrompt.Turn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 *
 * <p>Azure OpenAI is the same dialect at another path, {@code
 * /openai/deployments/{deployment}/chat/completions?api-version=…}, with the key in an {@code
 * api-key} header; its {@code model} defaults to the deployment, since Azure routes by the path.
 */
final class OpenAiMockWire implements MockDialect {
  static final String FINGERPRINT = "fp_mock";

  private static final Pattern AZURE_PATH =
      Pattern.compile(".*/openai/deployments/([^/]+)/chat/completions");

  private final OpenAiMockEncoder encoder;

  OpenAiMockWire(JsonFactory json) {
    this.encoder = new OpenAiMockEncoder(json);
  }

  /** OpenAI wants {@code Authorization: Bearer KEY}; Azure an {@code api-key: KEY} header. */
  @Override
  public @Nullable Rejection authenticate(MockCall call, String apiKey) {
    boolean azure = AZURE_PATH.matcher(call.path()).matches();
    String given =
        azure ? call.header("api-key") : call.header(HttpHeaders.AUTHORIZATION.toString());
    String expected = azure ? apiKey : "Bearer " + apiKey;
    if (given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    String message =
        azure
            ? "Access denied due to invalid subscription key or wrong API endpoint. Make sure to"
                + " provide a valid key for an active subscription and use a correct regional API"
                + " endpoint for your resource."
            : "Incorrect API key provided.";
    return new Rejection(401, error(401, message));
  }

  @Override
  public MockRequest parse(JsonNode root, MockCall call) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("The request body must be a JSON object.");
    }
    Matcher azure = AZURE_PATH.matcher(call.path());
    if (azure.matches() && call.param("api-version") == null) {
      throw new IllegalArgumentException("Missing required query parameter 'api-version'.");
    }
    JsonNode model = root.path("model");
    String modelId =
        model.isTextual() && !model.textValue().isEmpty()
            ? model.textValue()
            : azure.matches() ? azure.group(1) : null;
    if (modelId == null) {
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
            modelId,
            turns,
            tools,
            toolMode(root.path("tool_choice")),
            root.path("parallel_tool_calls").asBoolean(true),
            format(root.path("response_format")));
    return new MockRequest(
        prompt,
        root.path("stream").asBoolean(false),
        root.path("stream_options").path("include_usage").asBoolean(false),
        false);
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

  @Override
  public String responseId(long n) {
    return "chatcmpl-mock-" + n;
  }

  /** A {@code chat.completion} body; {@code withUsage} false leaves usage out. */
  @Override
  public byte[] completion(MockReply reply, MockAnswer answer, boolean withUsage) {
    return encoder.completion(reply, answer, withUsage);
  }

  /**
   * The chunks of a streamed answer; with {@code usage} it ends with the usage chunk (and marks
   * the others {@code "usage":null}).
   */
  @Override
  public List<MockChunks.Event> events(
      MockReply reply, MockAnswer answer, int pieces, boolean usage) {
    List<byte[]> chunks = encoder.chunks(reply, answer, pieces, usage);
    List<MockChunks.Event> events = new ArrayList<>(chunks.size());
    chunks.forEach(chunk -> events.add(MockChunks.Event.data(chunk)));
    return events;
  }

  @Override
  public Buffer endOfStream() {
    return MockChunks.done();
  }

  /** The error envelope OpenAI sends with a non-2xx status. */
  @Override
  public byte[] error(int status, String message) {
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

  /**
   * The frame OpenAI and OpenRouter send when a stream fails after it started: a {@code
   * server_error} with code 502, or the given status's error type and code.
   */
  @Override
  public MockChunks.Event streamError(@Nullable Integer status, String message) {
    return MockChunks.Event.data(
        write(
        g -> {
          g.writeObjectFieldStart("error");
          g.writeStringField("message", message);
          g.writeStringField("type", status == null ? "server_error" : errorType(status));
          g.writeNumberField("code", status == null ? 502 : status);
          g.writeEndObject();
        }));
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
