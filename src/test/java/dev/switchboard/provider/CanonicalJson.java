package dev.switchboard.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.Role;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A test-only JSON form of the canonical {@code core} records, so golden fixtures can state
 * canonical requests, responses, events and errors as files. Core has no JSON mapping of its own
 * (by design), so this is written by hand, field by field, mirroring the record components in
 * camelCase; sealed variants carry a {@code type}. Null fields are omitted.
 *
 * <p>Requests are read (fixture input); responses, events and errors are written and compared
 * with {@link #canonical(JsonNode)}, which sorts keys and normalises numbers so the comparison is
 * about content, not formatting.
 */
public final class CanonicalJson {
  public static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper SORTED =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).enable(SerializationFeature.INDENT_OUTPUT).build();

  private CanonicalJson() {}

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + "\n" + json, e);
    }
  }

  /** Sorted, indented text of a JSON value with numbers normalised: equal text means equal JSON. */
  public static String canonical(JsonNode node) {
    try {
      return SORTED.writeValueAsString(JSON.treeToValue(node, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String canonical(String json) {
    return canonical(parse(json));
  }

  // ---- reading requests -------------------------------------------------------------------

  /** The Target model id a fixture asks for ({@code providerModelId}), else the request's model. */
  public static String providerModelId(JsonNode request) {
    return request.hasNonNull("providerModelId") ? request.get("providerModelId").asText() : request.get("model").asText();
  }

  public static ChatRequest readRequest(JsonNode node) {
    var messages = new ArrayList<Message>();
    node.path("messages").forEach(m -> messages.add(readMessage(m)));
    var tools = new ArrayList<ToolSpec>();
    node.path("tools").forEach(t -> tools.add(new ToolSpec(
        t.get("name").asText(), text(t, "description"), raw(t.get("parameters")), bool(t, "strict"))));
    var extra = new LinkedHashMap<String, RawJson>();
    node.path("extra").fields().forEachRemaining(e -> extra.put(e.getKey(), RawJson.of(e.getValue().toString())));
    return new ChatRequest(
        node.get("model").asText(),
        strings(node.path("fallbackModels")),
        messages,
        tools,
        readToolChoice(node.get("toolChoice")),
        bool(node, "parallelToolCalls"),
        readResponseFormat(node.get("responseFormat")),
        node.hasNonNull("temperature") ? node.get("temperature").asDouble() : null,
        node.hasNonNull("topP") ? node.get("topP").asDouble() : null,
        node.hasNonNull("seed") ? node.get("seed").asLong() : null,
        node.hasNonNull("maxTokens") ? node.get("maxTokens").asInt() : null,
        strings(node.path("stop")),
        bool(node, "logprobs"),
        node.hasNonNull("topLogprobs") ? node.get("topLogprobs").asInt() : null,
        text(node, "user"),
        node.path("stream").asBoolean(false),
        node.path("streamUsage").asBoolean(false),
        ProviderPreferences.NONE,
        extra);
  }

  public static Message readMessage(JsonNode m) {
    Role role = Role.fromWire(m.get("role").asText()).orElseThrow();
    var calls = new ArrayList<ToolCall>();
    m.path("toolCalls").forEach(c -> calls.add(new ToolCall(c.get("id").asText(), c.get("name").asText(), c.path("arguments").asText(""))));
    return new Message(role, readContent(m.get("content")), text(m, "name"), calls, text(m, "toolCallId"), text(m, "reasoning"));
  }

  private static List<ContentPart> readContent(@Nullable JsonNode content) {
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (content.isTextual()) {
      return List.of(new ContentPart.Text(content.asText()));
    }
    var parts = new ArrayList<ContentPart>();
    for (JsonNode p : content) {
      parts.add(switch (p.get("type").asText()) {
        case "text" -> new ContentPart.Text(p.get("text").asText());
        case "image" -> new ContentPart.Image(p.get("url").asText(), text(p, "detail"));
        case "input_audio" -> new ContentPart.InputAudio(p.get("data").asText(), p.get("format").asText());
        case "file" -> new ContentPart.File(text(p, "filename"), text(p, "fileData"), text(p, "fileId"));
        case "unknown" -> new ContentPart.Unknown(p.get("partType").asText(), RawJson.of(p.get("raw").toString()));
        default -> throw new IllegalArgumentException("unknown canonical part type " + p.get("type"));
      });
    }
    return parts;
  }

  private static @Nullable ToolChoice readToolChoice(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      return new ToolChoice.Function(node.get("function").asText());
    }
    return switch (node.asText()) {
      case "auto" -> new ToolChoice.Auto();
      case "none" -> new ToolChoice.None();
      case "required" -> new ToolChoice.Required();
      default -> throw new IllegalArgumentException("unknown tool choice " + node);
    };
  }

  private static @Nullable ResponseFormat readResponseFormat(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return switch (node.get("type").asText()) {
      case "text" -> new ResponseFormat.Text();
      case "json_object" -> new ResponseFormat.JsonObject();
      case "json_schema" -> new ResponseFormat.JsonSchema(
          node.get("name").asText(), text(node, "description"), raw(node.get("schema")), bool(node, "strict"));
      default -> throw new IllegalArgumentException("unknown response format " + node);
    };
  }

  // ---- writing requests, responses, events, errors ----------------------------------------

  /**
   * The canonical JSON of a request, the inverse of {@link #readRequest} (what a dialect's reader
   * produced, for comparison with a fixture). Provider preferences other than none are written as
   * {@code provider.order} / {@code provider.only} / {@code provider.ignore} lists.
   */
  public static ObjectNode write(ChatRequest request) {
    ObjectNode node = JSON.createObjectNode();
    node.put("model", request.model());
    if (!request.fallbackModels().isEmpty()) {
      request.fallbackModels().forEach(node.putArray("fallbackModels")::add);
    }
    ArrayNode messages = node.putArray("messages");
    request.messages().forEach(m -> messages.add(write(m)));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = node.putArray("tools");
      for (ToolSpec tool : request.tools()) {
        ObjectNode t = tools.addObject().put("name", tool.name());
        putIf(t, "description", tool.description());
        if (tool.parameters() != null) {
          t.set("parameters", parse(tool.parameters().json()));
        }
        if (tool.strict() != null) {
          t.put("strict", tool.strict());
        }
      }
    }
    switch (request.toolChoice()) {
      case null -> {}
      case ToolChoice.Auto() -> node.put("toolChoice", "auto");
      case ToolChoice.None() -> node.put("toolChoice", "none");
      case ToolChoice.Required() -> node.put("toolChoice", "required");
      case ToolChoice.Function(String name) -> node.putObject("toolChoice").put("function", name);
    }
    if (request.parallelToolCalls() != null) {
      node.put("parallelToolCalls", request.parallelToolCalls());
    }
    switch (request.responseFormat()) {
      case null -> {}
      case ResponseFormat.Text() -> node.putObject("responseFormat").put("type", "text");
      case ResponseFormat.JsonObject() -> node.putObject("responseFormat").put("type", "json_object");
      case ResponseFormat.JsonSchema(String name, String description, RawJson schema, Boolean strict) -> {
        ObjectNode f = node.putObject("responseFormat").put("type", "json_schema").put("name", name);
        putIf(f, "description", description);
        if (schema != null) {
          f.set("schema", parse(schema.json()));
        }
        if (strict != null) {
          f.put("strict", strict);
        }
      }
    }
    if (request.temperature() != null) {
      node.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      node.put("topP", request.topP());
    }
    if (request.seed() != null) {
      node.put("seed", request.seed());
    }
    if (request.maxTokens() != null) {
      node.put("maxTokens", request.maxTokens());
    }
    if (!request.stop().isEmpty()) {
      request.stop().forEach(node.putArray("stop")::add);
    }
    if (request.logprobs() != null) {
      node.put("logprobs", request.logprobs());
    }
    if (request.topLogprobs() != null) {
      node.put("topLogprobs", request.topLogprobs());
    }
    putIf(node, "user", request.user());
    if (request.stream()) {
      node.put("stream", true);
    }
    if (request.streamUsage()) {
      node.put("streamUsage", true);
    }
    ProviderPreferences provider = request.provider();
    if (!provider.equals(ProviderPreferences.NONE)) {
      ObjectNode p = node.putObject("provider");
      provider.order().forEach(p.putArray("order")::add);
      provider.only().forEach(p.putArray("only")::add);
      provider.ignore().forEach(p.putArray("ignore")::add);
    }
    if (!request.extra().isEmpty()) {
      ObjectNode extra = node.putObject("extra");
      request.extra().forEach((name, raw) -> extra.set(name, parse(raw.json())));
    }
    return node;
  }


  public static ObjectNode write(ChatResponse response) {
    ObjectNode node = JSON.createObjectNode();
    putIf(node, "upstreamId", response.upstreamId());
    putIf(node, "upstreamModel", response.upstreamModel());
    putIf(node, "systemFingerprint", response.systemFingerprint());
    ArrayNode choices = node.putArray("choices");
    for (Choice choice : response.choices()) {
      ObjectNode c = choices.addObject();
      c.put("index", choice.index());
      c.set("message", write(choice.message()));
      if (choice.finishReason() != null) {
        c.put("finishReason", choice.finishReason().wireName());
      }
      putIf(c, "nativeFinishReason", choice.nativeFinishReason());
      if (choice.logprobs() != null) {
        c.set("logprobs", parse(choice.logprobs().json()));
      }
    }
    if (response.usage() != null) {
      node.set("usage", write(response.usage()));
    }
    return node;
  }

  public static ObjectNode write(Message message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("role", message.role().wireName());
    ArrayNode content = node.putArray("content");
    for (ContentPart part : message.content()) {
      ObjectNode p = content.addObject();
      switch (part) {
        case ContentPart.Text(String text) -> p.put("type", "text").put("text", text);
        case ContentPart.Image(String url, String detail) -> {
          p.put("type", "image").put("url", url);
          putIf(p, "detail", detail);
        }
        case ContentPart.InputAudio(String data, String format) -> p.put("type", "input_audio").put("data", data).put("format", format);
        case ContentPart.File(String filename, String fileData, String fileId) -> {
          p.put("type", "file");
          putIf(p, "filename", filename);
          putIf(p, "fileData", fileData);
          putIf(p, "fileId", fileId);
        }
        case ContentPart.Unknown(String type, RawJson raw) -> p.put("type", "unknown").put("partType", type).set("raw", parse(raw.json()));
      }
    }
    putIf(node, "name", message.name());
    if (!message.toolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("toolCalls");
      for (ToolCall call : message.toolCalls()) {
        calls.addObject().put("id", call.id()).put("name", call.name()).put("arguments", call.arguments());
      }
    }
    putIf(node, "toolCallId", message.toolCallId());
    putIf(node, "reasoning", message.reasoning());
    return node;
  }

  public static ObjectNode write(Usage usage) {
    ObjectNode node = JSON.createObjectNode();
    node.put("promptTokens", usage.promptTokens());
    node.put("completionTokens", usage.completionTokens());
    if (usage.cachedTokens() != null) {
      node.put("cachedTokens", usage.cachedTokens());
    }
    if (usage.cacheWriteTokens() != null) {
      node.put("cacheWriteTokens", usage.cacheWriteTokens());
    }
    if (usage.reasoningTokens() != null) {
      node.put("reasoningTokens", usage.reasoningTokens());
    }
    if (usage.estimated()) {
      node.put("estimated", true);
    }
    return node;
  }

  public static ObjectNode write(StreamEvent event) {
    ObjectNode node = JSON.createObjectNode();
    switch (event) {
      case StreamEvent.Started(String id, String model) -> {
        node.put("type", "started");
        putIf(node, "upstreamId", id);
        putIf(node, "upstreamModel", model);
      }
      case StreamEvent.TextDelta(int choice, String text) -> node.put("type", "text").put("choice", choice).put("text", text);
      case StreamEvent.ReasoningDelta(int choice, String text) -> node.put("type", "reasoning").put("choice", choice).put("text", text);
      case StreamEvent.ToolCallDelta(int choice, int index, String id, String name, String arguments) -> {
        node.put("type", "tool_call").put("choice", choice).put("index", index);
        putIf(node, "id", id);
        putIf(node, "name", name);
        node.put("arguments", arguments);
      }
      case StreamEvent.ReasoningDetail(int choice, ContentPart.Unknown part) -> node.put("type", "reasoning_detail")
          .put("choice", choice).put("partType", part.type()).set("raw", parse(part.raw().json()));
      case StreamEvent.Logprobs(int choice, RawJson logprobs) -> node.put("type", "logprobs").put("choice", choice).set("logprobs", parse(logprobs.json()));
      case StreamEvent.UsageReport(Usage usage) -> node.put("type", "usage").set("usage", write(usage));
      case StreamEvent.Finish(int choice, FinishReason reason, String nativeReason) -> {
        node.put("type", "finish").put("choice", choice).put("reason", reason.wireName());
        putIf(node, "nativeReason", nativeReason);
      }
      case StreamEvent.Failure(UpstreamError error) -> node.put("type", "failure").set("error", write(error));
    }
    return node;
  }

  /** An error without its raw body (compared separately, since it repeats the fixture's body). */
  public static ObjectNode write(UpstreamError error) {
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", error.kind().name());
    node.put("status", error.status());
    node.put("retryable", error.retryable());
    if (error.retryAfter() != null) {
      node.put("retryAfterMs", error.retryAfter().toMillis());
    }
    node.put("message", error.message());
    return node;
  }

  /** Reads an event written by {@link #write(StreamEvent)} (errors without their raw body). */
  public static StreamEvent readEvent(JsonNode node) {
    int choice = node.path("choice").asInt(0);
    return switch (node.get("type").asText()) {
      case "started" -> new StreamEvent.Started(text(node, "upstreamId"), text(node, "upstreamModel"));
      case "text" -> new StreamEvent.TextDelta(choice, node.get("text").asText());
      case "reasoning" -> new StreamEvent.ReasoningDelta(choice, node.get("text").asText());
      case "tool_call" -> new StreamEvent.ToolCallDelta(
          choice, node.get("index").asInt(), text(node, "id"), text(node, "name"), node.get("arguments").asText());
      case "reasoning_detail" -> new StreamEvent.ReasoningDetail(choice,
          new ContentPart.Unknown(node.get("partType").asText(), RawJson.of(node.get("raw").toString())));
      case "logprobs" -> new StreamEvent.Logprobs(choice, RawJson.of(node.get("logprobs").toString()));
      case "usage" -> new StreamEvent.UsageReport(readUsage(node.get("usage")));
      case "finish" -> new StreamEvent.Finish(
          choice, FinishReason.valueOf(node.get("reason").asText().toUpperCase(Locale.ROOT)), text(node, "nativeReason"));
      case "failure" -> new StreamEvent.Failure(readError(node.get("error")));
      default -> throw new IllegalArgumentException("unknown event type " + node.get("type"));
    };
  }

  public static Usage readUsage(JsonNode node) {
    return new Usage(
        node.get("promptTokens").asLong(),
        node.get("completionTokens").asLong(),
        node.hasNonNull("cachedTokens") ? node.get("cachedTokens").asLong() : null,
        node.hasNonNull("cacheWriteTokens") ? node.get("cacheWriteTokens").asLong() : null,
        node.hasNonNull("reasoningTokens") ? node.get("reasoningTokens").asLong() : null,
        node.path("estimated").asBoolean(false));
  }

  public static UpstreamError readError(JsonNode node) {
    return new UpstreamError(
        UpstreamError.Kind.valueOf(node.get("kind").asText()),
        node.get("status").asInt(),
        node.hasNonNull("retryAfterMs") ? Duration.ofMillis(node.get("retryAfterMs").asLong()) : null,
        node.get("message").asText(),
        null);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static @Nullable String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static @Nullable Boolean bool(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asBoolean() : null;
  }

  private static @Nullable RawJson raw(@Nullable JsonNode node) {
    return node == null || node.isNull() ? null : RawJson.of(node.toString());
  }

  private static List<String> strings(JsonNode array) {
    var list = new ArrayList<String>();
    array.forEach(item -> list.add(item.asText()));
    return list;
  }

  private static void putIf(ObjectNode node, String field, @Nullable String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** For maps in fixtures (headers). */
  public static Map<String, String> stringMap(JsonNode node) {
    var map = new LinkedHashMap<String, String>();
    node.fields().forEachRemaining(e -> map.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
    return map;
  }
}
