package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.provider.AnswerTool;
import dev.switchboard.provider.Target;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link ChatRequest} to an Anthropic {@code CreateMessageParams} body.
 *
 * <p>Builds a Jackson tree (turns are merged after they are read, which a streaming generator
 * cannot do) whose verbatim values (tool schemas, tool arguments, unknown parts) are embedded as
 * {@link RawValue}s, so they reach Anthropic with their exact text. Fields are written in a fixed
 * order, so the same request always encodes to the same bytes. Every translation choice is listed
 * in {@code package-info}; the comments here say why where the code alone does not.
 *
 * <p>Pure and thread-safe: reads the request, never changes it.
 */
final class AnthropicRequestEncoder {
  /** Anthropic's smallest thinking budget. */
  private static final int MIN_BUDGET = 1024;

  /** The largest budget an effort level maps to. */
  private static final int MAX_EFFORT_BUDGET = 32_000;

  /** Anthropic requires {@code max_tokens}; used when the client set none. */
  private final int defaultMaxTokens;

  AnthropicRequestEncoder(int defaultMaxTokens) {
    this.defaultMaxTokens = defaultMaxTokens;
  }

  byte[] encode(ChatRequest request, Target target) {
    AnthropicMessages.Conversation conversation = AnthropicMessages.of(request.messages());
    ArrayNode tools = tools(request);
    String answerTool = answerTool(request.responseFormat(), tools);
    ObjectNode toolChoice = tools.isEmpty() ? null : toolChoice(request, answerTool);
    int maxTokens = request.maxTokens() == null ? defaultMaxTokens : request.maxTokens();
    Thinking thinking = thinking(request, maxTokens);
    // Thinking "isn't compatible with forced tool use", and once on, Anthropic requires the
    // assistant turn that opened the current tool loop to start with a signed thinking block; a
    // client that did not keep one would get a 400, so thinking is left off for such requests.
    String choiceType = toolChoice == null ? "auto" : toolChoice.path("type").asText();
    boolean thinkingOn = thinking.config() != null
        && (choiceType.equals("auto") || choiceType.equals("none"))
        && !conversation.openToolLoopWithoutThinking();

    ObjectNode root = AnthropicWire.JSON.createObjectNode();
    root.put("model", target.providerModelId());
    root.put("max_tokens", thinkingOn ? thinking.maxTokens() : maxTokens);
    if (!conversation.system().isEmpty()) {
      root.set("system", conversation.system());
    }
    root.set("messages", conversation.messages());
    if (!tools.isEmpty()) {
      root.set("tools", tools);
      if (toolChoice != null) {
        root.set("tool_choice", toolChoice);
      }
    }
    if (thinkingOn) {
      root.set("thinking", thinking.config());
    }
    writeSampling(root, request, thinkingOn);
    if (!request.stop().isEmpty()) {
      ArrayNode stops = root.putArray("stop_sequences");
      request.stop().forEach(stops::add);
    }
    if (request.user() != null && !request.user().isEmpty()) {
      root.putObject("metadata").put("user_id", userId(request.user()));
    }
    if (request.stream()) {
      root.put("stream", true);
    }
    // Deliberately forwarded Anthropic fields a client may send as extras: output_config (effort,
    // native structured outputs) and a top-level cache_control (automatic prompt caching). Any
    // other extra is an OpenAI or OpenRouter field that Anthropic would reject as unknown.
    forward(root, request.extra(), "output_config");
    forward(root, request.extra(), "cache_control");
    try {
      return AnthropicWire.JSON.writeValueAsBytes(root);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot encode request", e); // in-memory: does not happen
    }
  }

  // ---- tools -------------------------------------------------------------------------------

  private static ArrayNode tools(ChatRequest request) {
    ArrayNode tools = AnthropicWire.JSON.createArrayNode();
    for (ToolSpec spec : request.tools()) {
      ObjectNode tool = tools.addObject().put("name", spec.name());
      if (spec.description() != null) {
        tool.put("description", spec.description());
      }
      // input_schema is required; OpenAI lets a function omit its parameters.
      String schema = spec.parameters() == null ? "{\"type\":\"object\",\"properties\":{}}" : spec.parameters().json();
      tool.putRawValue("input_schema", new RawValue(schema));
    }
    return tools;
  }

  /** Adds the JSON-answer tool for a {@code response_format}; returns its name, or null. */
  private static @Nullable String answerTool(@Nullable ResponseFormat format, ArrayNode tools) {
    return switch (format) {
      case null -> null;
      case ResponseFormat.Text text -> null;
      case ResponseFormat.JsonObject json -> {
        tools.addObject()
            .put("name", AnswerTool.NAME)
            .put("description", "Give your answer by calling this tool; its input is the answer, a JSON object.")
            .putObject("input_schema").put("type", "object").put("additionalProperties", true);
        yield AnswerTool.NAME;
      }
      case ResponseFormat.JsonSchema(String name, String description, RawJson schema, Boolean strict) -> {
        String tool = AnswerTool.name(name);
        tools.addObject()
            .put("name", tool)
            .put("description", description != null ? description
                : "Give your answer by calling this tool; its input is the answer, as JSON matching the schema '"
                    + name + "'.")
            .putRawValue("input_schema", new RawValue(schema == null ? "{\"type\":\"object\"}" : schema.json()));
        yield tool;
      }
    };
  }

  /**
   * OpenAI's {@code tool_choice} and {@code parallel_tool_calls} as Anthropic's one object. With a
   * JSON-answer tool, a model free to answer must still answer through it: alone, that tool is
   * forced; beside the client's tools, {@code any} lets the model call one of those or answer.
   */
  private static @Nullable ObjectNode toolChoice(ChatRequest request, @Nullable String answerTool) {
    ToolChoice choice = request.toolChoice();
    ObjectNode out = AnthropicWire.JSON.createObjectNode();
    if (answerTool != null && !(choice instanceof ToolChoice.Function)) {
      if (request.tools().isEmpty() || choice instanceof ToolChoice.None) {
        // One answer: two parallel answer calls would be two JSON documents glued together.
        return out.put("type", "tool").put("name", answerTool).put("disable_parallel_tool_use", true);
      }
      out.put("type", "any");
    } else {
      switch (choice) {
        case null -> {
          if (!Boolean.FALSE.equals(request.parallelToolCalls())) {
            return null;
          }
          out.put("type", "auto");
        }
        case ToolChoice.Auto auto -> out.put("type", "auto");
        case ToolChoice.None none -> {
          return out.put("type", "none");
        }
        case ToolChoice.Required required -> out.put("type", "any");
        case ToolChoice.Function(String name) -> out.put("type", "tool").put("name", name);
      }
    }
    if (Boolean.FALSE.equals(request.parallelToolCalls())) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }

  // ---- sampling and the rest ---------------------------------------------------------------

  /**
   * Temperature, top_p and top_k. Anthropic's temperature range is 0..1 (OpenAI's is 0..2), so a
   * higher value is sent as 1. Recent Claude models reject temperature and top_p together, so
   * top_p goes only when temperature does not. With thinking on, Anthropic allows neither a
   * temperature nor top_k, and top_p only from 0.95.
   */
  private static void writeSampling(ObjectNode root, ChatRequest request, boolean thinking) {
    Double temperature = request.temperature();
    Double topP = request.topP();
    if (temperature != null && !thinking) {
      root.put("temperature", Math.max(0.0, Math.min(1.0, temperature)));
    } else if (topP != null && (!thinking || topP >= 0.95)) {
      root.put("top_p", topP);
    }
    RawJson topK = request.extra().get("top_k");
    if (topK != null && !thinking) {
      root.putRawValue("top_k", new RawValue(topK.json()));
    }
  }

  private static void forward(ObjectNode root, Map<String, RawJson> extra, String name) {
    RawJson value = extra.get(name);
    if (value != null) {
      root.putRawValue(name, new RawValue(value.json()));
    }
  }

  /** Anthropic caps {@code metadata.user_id} at 256 characters; a longer id goes as its SHA-256. */
  private static String userId(String user) {
    if (user.length() <= 256) {
      return user;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  // ---- reasoning ---------------------------------------------------------------------------

  /**
   * What the request asks of extended thinking.
   *
   * @param config Anthropic's {@code thinking} object; null for no thinking
   * @param maxTokens {@code max_tokens} with thinking on: Anthropic requires it above the budget,
   *     so a budget at or over the client's cap is added to it rather than squeezing the answer out
   */
  private record Thinking(@Nullable JsonNode config, int maxTokens) {}

  /**
   * Anthropic's own {@code thinking} object when the client sent one (it knows best, and it is
   * the only way to ask for newer modes such as {@code adaptive}); otherwise OpenRouter's {@code
   * reasoning} object or OpenAI's {@code reasoning_effort} as {@code {"type":"enabled",
   * "budget_tokens":N}}.
   */
  private static Thinking thinking(ChatRequest request, int maxTokens) {
    RawJson own = request.extra().get("thinking");
    JsonNode config;
    if (own != null) {
      config = parse(own.json(), "thinking");
      if (!config.isObject() || config.path("type").asText().equals("disabled")) {
        return new Thinking(null, maxTokens);
      }
    } else {
      Integer budget = budget(request, maxTokens);
      if (budget == null) {
        return new Thinking(null, maxTokens);
      }
      config = AnthropicWire.JSON.createObjectNode().put("type", "enabled").put("budget_tokens", budget);
    }
    int budget = config.path("budget_tokens").asInt(0);
    return new Thinking(config, budget >= maxTokens ? budget + maxTokens : maxTokens);
  }

  /**
   * The thinking budget: {@code reasoning.max_tokens} as given (at least Anthropic's minimum of
   * 1024), or a share of {@code max_tokens} by effort (OpenRouter's ratios: max and xhigh 95%, high
   * 80%, medium 50%, low 20%, minimal 10%), at least 1024 and at most 32000, the size past which
   * Anthropic advises batch processing. {@code enabled: true} alone is medium; {@code effort:
   * none}, {@code enabled: false} and a {@code reasoning} object with neither (such as {@code
   * {"exclude": true}}) ask for none.
   */
  private static @Nullable Integer budget(ChatRequest request, int maxTokens) {
    RawJson raw = request.extra().get("reasoning");
    JsonNode reasoning = raw == null ? AnthropicWire.JSON.missingNode() : parse(raw.json(), "reasoning");
    if (reasoning.path("enabled").isBoolean() && !reasoning.path("enabled").asBoolean()) {
      return null;
    }
    JsonNode explicit = reasoning.path("max_tokens");
    if (explicit.isIntegralNumber()) {
      return Math.max(MIN_BUDGET, explicit.asInt());
    }
    String effort = reasoning.path("effort").isTextual() ? reasoning.path("effort").asText() : null;
    RawJson shorthand = request.extra().get("reasoning_effort");
    if (effort == null && shorthand != null && parse(shorthand.json(), "reasoning_effort").isTextual()) {
      effort = parse(shorthand.json(), "reasoning_effort").asText();
    }
    if (effort == null) {
      effort = reasoning.path("enabled").asBoolean(false) ? "medium" : "none";
    }
    double ratio = switch (effort) {
      case "max", "xhigh" -> 0.95;
      case "high" -> 0.8;
      case "medium" -> 0.5;
      case "low" -> 0.2;
      case "minimal" -> 0.1;
      case "none" -> 0;
      default -> throw new InvalidRequest("reasoning.effort",
          "reasoning.effort must be one of max, xhigh, high, medium, low, minimal, none; got '" + effort + "'");
    };
    if (ratio == 0) {
      return null;
    }
    return Math.clamp((long) (maxTokens * ratio), MIN_BUDGET, MAX_EFFORT_BUDGET);
  }

  private static JsonNode parse(String json, String field) {
    try {
      return AnthropicWire.JSON.readTree(json);
    } catch (JacksonException e) {
      throw new InvalidRequest(field, field + " is not valid JSON");
    }
  }
}
