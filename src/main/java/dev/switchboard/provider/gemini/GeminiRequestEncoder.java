package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.GeminiAdapter.JSON;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link ChatRequest} to a Gemini {@code GenerateContentRequest}.
 *
 * <p>Builds a JSON tree (turns are merged and schemas rewritten on the way, which a streaming
 * writer cannot do) and writes only what the request sets, so Gemini applies its own defaults to
 * the rest. The package documentation lists every mapping and what is dropped.
 *
 * <p>Pure and thread-safe: reads the request, never changes it.
 */
final class GeminiRequestEncoder {
  /** Google's documented placeholder for calls without a signature (another model's history). */
  static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

  /** 2.5 Flash's largest thinking budget; Pro allows more, but this one is valid everywhere. */
  private static final int MAX_THINKING_BUDGET = 24576;

  /** Flash-Lite's smallest non-zero budget, which is also valid on Flash and Pro. */
  private static final int MIN_THINKING_BUDGET = 512;

  private GeminiRequestEncoder() {}

  static byte[] encode(ChatRequest request) {
    var system = JSON.createArrayNode();
    var contents = new Contents();
    List<Message> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      switch (message.role()) {
        case SYSTEM, DEVELOPER -> systemParts(system, message);
        case USER -> {
          ArrayNode parts = contents.parts("user");
          message.content().forEach(part -> writePart(parts, part));
        }
        case ASSISTANT -> assistant(contents, message);
        case TOOL -> toolResult(contents, message, toolName(messages, i));
      }
    }
    ObjectNode root = JSON.createObjectNode();
    if (!system.isEmpty()) {
      root.putObject("systemInstruction").set("parts", system);
    }
    root.set("contents", contents.array);
    if (!request.tools().isEmpty()) {
      ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
      for (ToolSpec tool : request.tools()) {
        ObjectNode declaration = declarations.addObject().put("name", tool.name());
        if (tool.description() != null) {
          declaration.put("description", tool.description());
        }
        ObjectNode parameters = GeminiSchema.parameters(tool);
        if (parameters != null) {
          declaration.set("parameters", parameters);
        }
      }
      if (request.toolChoice() != null) {
        toolConfig(root, request.toolChoice());
      }
    }
    ObjectNode config = generationConfig(request);
    if (!config.isEmpty()) {
      root.set("generationConfig", config);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e); // in-memory: does not happen
    }
  }

  /** Gemini has one system instruction, text only; every system turn adds to it. */
  private static void systemParts(ArrayNode system, Message message) {
    for (ContentPart part : message.content()) {
      String text = part instanceof ContentPart.Text(String plain) ? plain : keptText(part);
      if (text == null) {
        throw new InvalidRequest("messages", "Gemini takes only text in system and developer messages");
      }
      system.addObject().put("text", text);
    }
  }

  private static void assistant(Contents contents, Message message) {
    if (message.content().isEmpty() && message.toolCalls().isEmpty()) {
      return; // a model turn without parts is a 400, and an empty turn says nothing anyway
    }
    ArrayNode parts = contents.parts("model");
    message.content().forEach(part -> writePart(parts, part));
    boolean signed = message.toolCalls().stream().anyMatch(call -> GeminiResponseDecoder.signature(call.id()) != null);
    for (int k = 0; k < message.toolCalls().size(); k++) {
      ToolCall call = message.toolCalls().get(k);
      ObjectNode part = parts.addObject();
      part.putObject("functionCall").put("name", call.name()).set("args", arguments(call));
      String signature = GeminiResponseDecoder.signature(call.id());
      if (signature != null) {
        part.put("thoughtSignature", signature);
      } else if (!signed && k == 0) {
        // Gemini 3 rejects a turn whose first call has no signature; Gemini 2.5 only warns.
        part.put("thoughtSignature", SKIP_SIGNATURE);
      }
    }
  }

  private static void toolResult(Contents contents, Message message, String name) {
    ArrayNode parts = contents.parts("user");
    // `response` must be an object, and a JSON result is more use to the model parsed than quoted.
    String text = message.textContent();
    JsonNode result = text.isBlank() ? null : tryParse(text);
    ObjectNode response = parts.addObject().putObject("functionResponse").put("name", name).putObject("response");
    response.set("result", result == null ? TextNode.valueOf(text) : result);
    // Images and files a tool returned follow its response in the same turn.
    for (ContentPart part : message.content()) {
      if (!(part instanceof ContentPart.Text)) {
        writePart(parts, part);
      }
    }
  }

  /** The function a tool message answers, from the nearest earlier assistant call with its id. */
  private static String toolName(List<Message> messages, int toolIndex) {
    Message tool = messages.get(toolIndex);
    String id = tool.toolCallId();
    for (int i = toolIndex - 1; i >= 0 && id != null; i--) {
      for (ToolCall call : messages.get(i).toolCalls()) {
        if (call.id().equals(id)) {
          return call.name();
        }
      }
    }
    if (tool.name() != null) {
      return tool.name();
    }
    throw new InvalidRequest(
        "messages", "tool message for unknown call '" + id + "': Gemini needs the name of the function it answers");
  }

  private static JsonNode arguments(ToolCall call) {
    String text = call.arguments().strip();
    JsonNode args = text.isEmpty() ? JSON.createObjectNode() : tryParse(text);
    if (args == null || !args.isObject()) {
      throw new InvalidRequest(
          "messages", "the arguments of tool call '" + call.name() + "' are not a JSON object, which Gemini requires");
    }
    return args;
  }

  /**
   * The text of a text part a client sent with fields the canonical model has no place for (an
   * Anthropic {@code cache_control} breakpoint, which Gemini's explicit caching does not use), kept
   * whole as an unknown part; null for any other part.
   */
  private static @Nullable String keptText(ContentPart part) {
    if (part instanceof ContentPart.Unknown(String type, RawJson raw) && type.equals("text")) {
      JsonNode node = tryParse(raw.json());
      return node == null ? "" : node.path("text").asText("");
    }
    return null;
  }

  /** The JSON value of {@code text}; null when it is not exactly one JSON value. */
  private static @Nullable JsonNode tryParse(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JacksonException notJson) {
      return null;
    }
  }

  private static void writePart(ArrayNode parts, ContentPart part) {
    switch (part) {
      case ContentPart.Text(String text) -> parts.addObject().put("text", text);
      case ContentPart.Image(String url, String detail) -> media(parts, url, "image/jpeg");
      case ContentPart.InputAudio(String data, String format) ->
          parts.addObject()
              .putObject("inlineData")
              .put("mimeType", "audio/" + format.toLowerCase(Locale.ROOT))
              .put("data", data);
      case ContentPart.File(String filename, String fileData, String fileId) -> {
        String mimeType = filename == null ? null : mimeType(filename);
        if (fileData != null) {
          media(parts, fileData, mimeType == null ? "application/pdf" : mimeType);
        } else if (fileId != null) {
          ObjectNode file = parts.addObject().putObject("fileData");
          if (mimeType != null) {
            file.put("mimeType", mimeType);
          }
          file.put("fileUri", fileId);
        } else {
          throw new InvalidRequest("messages", "a file part has neither file_data nor file_id");
        }
      }
      // Another dialect's signed thinking block is for its own family's upstream; Gemini has
      // thought signatures of its own, and the reasoning text is not sent back.
      case ContentPart.Unknown(String type, RawJson raw)
          when type.equals("thinking") || type.equals("redacted_thinking") -> {}
      case ContentPart.Unknown(String type, RawJson raw) when type.equals("text") ->
          parts.addObject().put("text", keptText(part));
      case ContentPart.Unknown(String type, RawJson raw) ->
          throw new InvalidRequest("messages", "content parts of type '" + type + "' cannot be sent to Gemini");
    }
  }

  /** A data URL goes inline; anything else by reference, typed by its extension. */
  private static void media(ArrayNode parts, String url, String defaultMimeType) {
    if (!url.regionMatches(true, 0, "data:", 0, 5)) {
      String mimeType = mimeType(url);
      parts.addObject()
          .putObject("fileData")
          .put("mimeType", mimeType == null ? defaultMimeType : mimeType)
          .put("fileUri", url);
      return;
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      throw new InvalidRequest("messages", "a data URL has no ',' before its data");
    }
    String header = url.substring(5, comma);
    int semicolon = header.indexOf(';');
    String mimeType = (semicolon < 0 ? header : header.substring(0, semicolon)).strip();
    String data = url.substring(comma + 1);
    if (!header.toLowerCase(Locale.ROOT).endsWith(";base64")) {
      // RFC 2397 allows percent-encoded text; Gemini takes only base64.
      byte[] bytes = URLDecoder.decode(data, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
      data = Base64.getEncoder().encodeToString(bytes);
    }
    parts.addObject()
        .putObject("inlineData")
        .put("mimeType", mimeType.isEmpty() ? defaultMimeType : mimeType)
        .put("data", data);
  }

  private static final Map<String, String> MIME_TYPES =
      Map.ofEntries(
          Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
          Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"), Map.entry("heic", "image/heic"),
          Map.entry("heif", "image/heif"), Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"),
          Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"), Map.entry("html", "text/html"),
          Map.entry("mp3", "audio/mp3"), Map.entry("wav", "audio/wav"), Map.entry("flac", "audio/flac"),
          Map.entry("ogg", "audio/ogg"), Map.entry("aac", "audio/aac"), Map.entry("mp4", "video/mp4"),
          Map.entry("mov", "video/mov"), Map.entry("webm", "video/webm"));

  /** The MIME type of a URL or file name by its extension; null when unknown. */
  static @Nullable String mimeType(String urlOrName) {
    String path = urlOrName;
    for (char end : new char[] {'?', '#'}) {
      int at = path.indexOf(end);
      if (at >= 0) {
        path = path.substring(0, at);
      }
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) {
      return null;
    }
    return MIME_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static void toolConfig(ObjectNode root, ToolChoice choice) {
    ObjectNode config = root.putObject("toolConfig").putObject("functionCallingConfig");
    switch (choice) {
      case ToolChoice.Auto() -> config.put("mode", "AUTO");
      case ToolChoice.None() -> config.put("mode", "NONE");
      case ToolChoice.Required() -> config.put("mode", "ANY");
      case ToolChoice.Function(String name) -> {
        config.put("mode", "ANY");
        config.putArray("allowedFunctionNames").add(name);
      }
    }
  }

  private static ObjectNode generationConfig(ChatRequest request) {
    ObjectNode config = JSON.createObjectNode();
    if (request.temperature() != null) {
      config.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      config.put("topP", request.topP());
    }
    copyNumber(request, "top_k", config, "topK");
    if (request.maxTokens() != null) {
      config.put("maxOutputTokens", request.maxTokens());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    if (request.seed() != null) {
      config.put("seed", request.seed());
    }
    copyNumber(request, "presence_penalty", config, "presencePenalty");
    copyNumber(request, "frequency_penalty", config, "frequencyPenalty");
    switch (request.responseFormat()) {
      case null -> {}
      case ResponseFormat.Text() -> {}
      case ResponseFormat.JsonObject() -> config.put("responseMimeType", "application/json");
      case ResponseFormat.JsonSchema(String name, String description, RawJson schema, Boolean strict) -> {
        config.put("responseMimeType", "application/json");
        if (schema != null) {
          // Full JSON Schema is accepted here (unlike responseSchema), so it goes verbatim.
          config.set("responseJsonSchema", GeminiSchema.parse(schema, "response_format"));
        }
      }
    }
    ObjectNode thinking = thinkingConfig(request);
    if (thinking != null) {
      config.set("thinkingConfig", thinking);
    }
    return config;
  }

  /**
   * OpenRouter's {@code reasoning} object, or the {@code reasoning_effort} shorthand, as Gemini's
   * {@code thinkingConfig}; null when the client asked for neither.
   */
  static @Nullable ObjectNode thinkingConfig(ChatRequest request) {
    JsonNode reasoning = extra(request, "reasoning");
    JsonNode shorthand = extra(request, "reasoning_effort");
    if (!reasoning.isObject() && !shorthand.isTextual()) {
      return null;
    }
    Integer budget = null;
    String effort = reasoning.path("effort").isTextual() ? reasoning.get("effort").asText() : shorthand.asText(null);
    if (reasoning.path("max_tokens").isIntegralNumber()) {
      budget = reasoning.get("max_tokens").asInt();
    } else if (effort != null) {
      budget = budgetFor(effort.toLowerCase(Locale.ROOT), request.maxTokens());
    } else if (reasoning.path("enabled").isBoolean()) {
      budget = reasoning.get("enabled").asBoolean() ? -1 : 0; // -1: the model decides how much
    }
    ObjectNode config = JSON.createObjectNode();
    if (budget != null) {
      config.put("thinkingBudget", budget);
    }
    // With thinking off there are no thoughts to include.
    boolean include = !reasoning.path("exclude").asBoolean(false) && (budget == null || budget != 0);
    return config.put("includeThoughts", include);
  }

  /** OpenRouter's effort ratios of {@code max_tokens}, or a fixed budget when there is none. */
  private static int budgetFor(String effort, @Nullable Integer maxTokens) {
    // Unknown efforts count as medium, as OpenRouter maps them to the nearest it supports.
    int fixed =
        switch (effort) {
          case "none" -> 0;
          case "minimal" -> MIN_THINKING_BUDGET;
          case "low" -> 1024;
          case "high", "xhigh", "max" -> MAX_THINKING_BUDGET;
          default -> 8192;
        };
    double ratio =
        switch (effort) {
          case "minimal" -> 0.1;
          case "low" -> 0.2;
          case "high" -> 0.8;
          case "xhigh", "max" -> 0.95;
          default -> 0.5;
        };
    if (fixed == 0 || maxTokens == null) {
      return fixed;
    }
    return (int) Math.max(MIN_THINKING_BUDGET, Math.min(MAX_THINKING_BUDGET, Math.floor(maxTokens * ratio)));
  }

  private static void copyNumber(ChatRequest request, String name, ObjectNode config, String geminiName) {
    JsonNode value = extra(request, name);
    if (value.isNumber()) {
      config.set(geminiName, value);
    }
  }

  private static JsonNode extra(ChatRequest request, String name) {
    RawJson raw = request.extra().get(name);
    JsonNode node = raw == null ? null : tryParse(raw.json());
    return node == null ? MissingNode.getInstance() : node;
  }

  /** Gemini's {@code contents}, merging consecutive turns of one role into one content. */
  private static final class Contents {
    final ArrayNode array = JSON.createArrayNode();
    private @Nullable String role;
    private @Nullable ArrayNode parts;

    ArrayNode parts(String turnRole) {
      if (parts == null || !turnRole.equals(role)) {
        ObjectNode content = array.addObject().put("role", turnRole);
        parts = content.putArray("parts");
        role = turnRole;
      }
      return parts;
    }
  }
}
