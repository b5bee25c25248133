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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's generateContent dialect ({@code POST …/models/{model}:generateContent} and {@code
 * …:streamGenerateContent?alt=sse}, API {@code v1beta}): the request to a {@link MockPrompt},
 * the {@code google.rpc.Status} error envelope, and the answer through {@link GeminiMockEncoder}.
 * Thread-safe and stateless.
 *
 * <p>Requests are held to rules Gemini enforces with a 400, so an adapter that breaks one fails
 * here as in production: unknown fields (top level and {@code generationConfig}) are rejected, as
 * Gemini's protobuf parsing does; {@code contents} must be non-empty with non-empty {@code parts}
 * and roles {@code user} or {@code model}; a function declaration's {@code parameters} may use
 * only the OpenAPI subset Gemini knows ({@link GeminiMockSchema}); and, as Gemini 3 does, the first
 * {@code functionCall} of a model turn must carry a {@code thoughtSignature}, which must be one
 * the mock issued for that function ({@link MockSignatures}) or Google's documented {@code
 * skip_thought_signature_validator}.
 *
 * <p>Thoughts are answered when {@code thinkingConfig.includeThoughts} is true and the budget is
 * not 0. The key is taken from {@code x-goog-api-key} or {@code ?key=}. A {@code
 * streamGenerateContent} without {@code alt=sse} (Gemini's JSON-array stream) is not emulated.
 */
final class GeminiMockWire implements MockDialect {
  static final String SKIP_SIGNATURE = "skip_thought_signature_validator";
  private static final Pattern PATH =
      Pattern.compile(".*/((?:tuned)?[mM]odels/[^/:]+):(generateContent|streamGenerateContent)");
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "contents", "tools", "toolConfig", "safetySettings", "systemInstruction",
          "generationConfig", "cachedContent");
  private static final Set<String> GENERATION_CONFIG =
      Set.of(
          "stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema",
          "responseModalities", "candidateCount", "maxOutputTokens", "temperature", "topP", "topK",
          "seed", "presencePenalty", "frequencyPenalty", "responseLogprobs", "logprobs",
          "enableEnhancedCivicAnswers", "speechConfig", "thinkingConfig", "mediaResolution");

  private final GeminiMockEncoder encoder;

  GeminiMockWire(JsonFactory json) {
    this.encoder = new GeminiMockEncoder(json);
  }

  /** Whether {@code path} is a Gemini generate call. */
  static boolean isGeminiPath(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public @Nullable Rejection authenticate(MockCall call, String apiKey) {
    String given = call.header("x-goog-api-key");
    if (given == null) {
      given = call.param("key");
    }
    if (given == null) {
      return new Rejection(
          403,
          encoder.error(
              403, "Method doesn't allow unregistered callers (callers without established"
                  + " identity). Please use API Key or other form of API consumer identity to call"
                  + " this API.", status(403), null));
    }
    if (MessageDigest.isEqual(
        apiKey.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    return new Rejection(
        400,
        encoder.error(
            400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT",
            "API_KEY_INVALID"));
  }

  @Override
  public MockRequest parse(JsonNode root, MockCall call) {
    Matcher path = PATH.matcher(call.path());
    if (!path.matches()) {
      throw new IllegalArgumentException("Unknown method in path " + call.path());
    }
    boolean stream = path.group(2).equals("streamGenerateContent");
    if (stream && !"sse".equals(call.param("alt"))) {
      throw new IllegalArgumentException(
          "mock-upstream emulates streamGenerateContent only with alt=sse");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("Invalid JSON payload received. Expected an object.");
    }
    unknownFields(root, TOP_LEVEL, "");
    JsonNode config = root.path("generationConfig");
    unknownFields(config, GENERATION_CONFIG, "generation_config.");
    JsonNode contents = root.path("contents");
    if (!contents.isArray() || contents.isEmpty()) {
      throw new IllegalArgumentException(
          "* GenerateContentRequest.contents: contents is not specified\n");
    }
    List<Turn> turns = new ArrayList<>();
    JsonNode system = root.path("systemInstruction").path("parts");
    if (system.isArray() && !system.isEmpty()) {
      turns.add(new Turn(Role.SYSTEM, texts(system), 0));
    }
    for (int i = 0; i < contents.size(); i++) {
      content(contents.get(i), i, turns);
    }
    List<Tool> tools = new ArrayList<>();
    for (JsonNode tool : root.path("tools")) {
      JsonNode declarations = tool.path("functionDeclarations");
      for (int d = 0; d < declarations.size(); d++) {
        tools.add(declaration(declarations.get(d), d));
      }
    }
    JsonNode calling = root.path("toolConfig").path("functionCallingConfig");
    JsonNode thinking = config.path("thinkingConfig");
    boolean thoughts =
        thinking.path("includeThoughts").asBoolean(false)
            && thinking.path("thinkingBudget").asInt(-1) != 0;
    String model = path.group(1).substring(path.group(1).indexOf('/') + 1);
    MockPrompt prompt =
        new MockPrompt(model, turns, tools, toolMode(calling), true, format(config));
    return new MockRequest(prompt, stream, true, thoughts);
  }

  private static void unknownFields(JsonNode object, Set<String> known, String prefix) {
    object
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                throw new IllegalArgumentException(
                    "Invalid JSON payload received. Unknown name \"" + name + "\" at '" + prefix
                        + "': Cannot find field.");
              }
            });
  }

  private static void content(JsonNode content, int i, List<Turn> turns) {
    String role = content.path("role").asText("user");
    if (!role.equals("user") && !role.equals("model")) {
      throw new IllegalArgumentException("Please use a valid role: user, model.");
    }
    JsonNode parts = content.path("parts");
    if (!parts.isArray() || parts.isEmpty()) {
      throw new IllegalArgumentException(
          "* GenerateContentRequest.contents[" + i + "].parts: contents.parts must not be empty.\n");
    }
    List<String> texts = new ArrayList<>();
    int calls = 0;
    for (int p = 0; p < parts.size(); p++) {
      JsonNode part = parts.get(p);
      if (part.has("functionCall")) {
        if (calls++ == 0) {
          checkSignature(part, i, p);
        }
      } else if (part.has("functionResponse")) {
        JsonNode response = part.path("functionResponse").path("response");
        JsonNode result = response.has("result") ? response.get("result") : response;
        turns.add(new Turn(Role.TOOL, result.isTextual() ? result.textValue() : result.toString(), 0));
      } else if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
        texts.add(part.path("text").textValue());
      }
    }
    if (role.equals("model")) {
      turns.add(new Turn(Role.ASSISTANT, String.join("", texts), calls));
    } else if (!texts.isEmpty()) {
      turns.add(new Turn(Role.USER, String.join("\n", texts), 0));
    }
  }

  // Gemini 3 rejects the first call of a model turn without the signature it was issued with.
  private static void checkSignature(JsonNode part, int content, int index) {
    String name = part.path("functionCall").path("name").asText();
    JsonNode signature = part.path("thoughtSignature");
    if (!signature.isTextual()) {
      throw new IllegalArgumentException(
          "Function call is missing a thought_signature in functionCall parts. This is required"
              + " for tools to work correctly. Additional data, function call `default_api:" + name
              + "` , position " + (index + 1) + ". Please refer to"
              + " https://ai.google.dev/gemini-api/docs/thought-signatures for more details.");
    }
    String value = signature.textValue();
    if (!value.equals(SKIP_SIGNATURE) && !MockSignatures.valid(value, name)) {
      throw new IllegalArgumentException(
          "Corrupted thought signature at contents[" + content + "].parts[" + index + "].");
    }
  }

  private static String texts(JsonNode parts) {
    List<String> texts = new ArrayList<>();
    parts.forEach(part -> texts.add(part.path("text").asText("")));
    return String.join("\n", texts);
  }

  private static Tool declaration(JsonNode declaration, int index) {
    JsonNode parameters = declaration.path("parameters");
    if (parameters.isObject()) {
      GeminiMockSchema.check(
          parameters, "tools[0].function_declarations[" + index + "].parameters");
    } else {
      parameters = declaration.path("parametersJsonSchema");
    }
    return new Tool(
        declaration.path("name").asText(),
        parameters.isObject() ? parameters : JsonNodeFactory.instance.objectNode());
  }

  private static ToolMode toolMode(JsonNode calling) {
    JsonNode allowed = calling.path("allowedFunctionNames");
    return switch (calling.path("mode").asText("AUTO")) {
      case "NONE" -> new ToolMode.None();
      case "ANY", "VALIDATED" ->
          allowed.size() == 1 ? new ToolMode.Named(allowed.get(0).asText()) : new ToolMode.Any();
      default -> new ToolMode.Any();
    };
  }

  private static OutputFormat format(JsonNode config) {
    if (!config.path("responseMimeType").asText().equals("application/json")) {
      return new OutputFormat.Text();
    }
    for (String field : List.of("responseJsonSchema", "responseSchema")) {
      if (config.path(field).isObject()) {
        return new OutputFormat.JsonSchema(config.get(field));
      }
    }
    return new OutputFormat.JsonObject();
  }

  @Override
  public String responseId(long n) {
    return "mock-response-" + n;
  }

  @Override
  public byte[] completion(MockReply reply, MockAnswer answer, boolean withUsage) {
    return encoder.response(reply, answer, withUsage);
  }

  @Override
  public List<MockChunks.Event> events(
      MockReply reply, MockAnswer answer, int pieces, boolean usage) {
    return encoder.events(reply, answer, pieces, usage);
  }

  /** Gemini's SSE stream has no end marker; the body just ends. */
  @Override
  public @Nullable Buffer endOfStream() {
    return null;
  }

  /** A {@code data:} frame holding the error envelope, as Gemini fails a stream. */
  @Override
  public MockChunks.Event streamError(@Nullable Integer status, String message) {
    int code = status == null ? 503 : status;
    return MockChunks.Event.data(encoder.error(code, message, status(code), null));
  }

  @Override
  public byte[] error(int status, String message) {
    return encoder.error(status, message, status(status), null);
  }

  /** Gemini tells how long to wait in the body ({@code RetryInfo}), not in a header. */
  @Override
  public Map<String, String> errorHeaders(int status) {
    return Map.of();
  }

  /** The canonical {@code google.rpc.Code} name for an HTTP status. */
  static String status(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
  }
}
