package dev.switchboard.provider.openaicompat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile.Quirk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link ChatRequest} to OpenAI chat-completions JSON, shaped by a profile.
 *
 * <p>Writes straight to bytes with Jackson's streaming generator, and only the fields the request
 * sets, so a provider never sees a default the client did not ask for. Each top-level field goes
 * through the profile: dropped when unsupported, renamed when the provider names it differently.
 * {@link ChatRequest#extra()} is forwarded verbatim after the known fields, except names this
 * encoder owns and OpenRouter's routing fields, which are for the gateway, not the upstream.
 *
 * <p>Pure and thread-safe: reads the request, never changes it.
 */
final class OpenAiRequestEncoder {
  /** OpenRouter request fields that only steer routing; never forwarded to an upstream. */
  private static final Set<String> GATEWAY_ONLY = Set.of("models", "provider", "route", "transforms");

  private static final List<String> OWNED =
      List.of(
          "model", "messages", "tools", "tool_choice", "parallel_tool_calls", "response_format",
          "temperature", "top_p", "seed", "max_completion_tokens", "max_tokens", "stop", "logprobs",
          "top_logprobs", "user", "stream", "stream_options");

  private final OpenAiCompatProfile profile;
  private final Set<String> reserved;
  private final boolean sendMessageNames;
  private final boolean developerAsSystem;
  private final boolean echoReasoning;
  private final boolean cacheControl;

  OpenAiRequestEncoder(OpenAiCompatProfile profile) {
    this.profile = profile;
    var names = new HashSet<String>(GATEWAY_ONLY);
    for (String owned : OWNED) {
      names.add(owned);
      names.add(profile.wireName(owned));
    }
    this.reserved = Set.copyOf(names);
    this.sendMessageNames = profile.supports("messages[].name");
    this.developerAsSystem = profile.has(Quirk.DEVELOPER_AS_SYSTEM);
    this.echoReasoning = profile.has(Quirk.ECHO_REASONING);
    this.cacheControl = profile.has(Quirk.CACHE_CONTROL);
  }

  byte[] encode(ChatRequest request, Target target) {
    var bytes = new ByteArrayBuilder(1024);
    try (JsonGenerator json = OpenAiWire.JSON.getFactory().createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("model", target.providerModelId());
      json.writeArrayFieldStart("messages");
      for (Message message : request.messages()) {
        writeMessage(json, message);
      }
      json.writeEndArray();
      writeTools(json, request);
      writeResponseFormat(json, request.responseFormat());
      if (request.temperature() != null && field(json, "temperature")) {
        json.writeNumber(request.temperature());
      }
      if (request.topP() != null && field(json, "top_p")) {
        json.writeNumber(request.topP());
      }
      if (request.seed() != null && field(json, "seed")) {
        json.writeNumber(request.seed());
      }
      if (request.maxTokens() != null && field(json, "max_completion_tokens")) {
        json.writeNumber(request.maxTokens());
      }
      if (!request.stop().isEmpty() && field(json, "stop")) {
        json.writeStartArray();
        for (String stop : request.stop()) {
          json.writeString(stop);
        }
        json.writeEndArray();
      }
      if (request.logprobs() != null && field(json, "logprobs")) {
        json.writeBoolean(request.logprobs());
      }
      if (request.topLogprobs() != null && field(json, "top_logprobs")) {
        json.writeNumber(request.topLogprobs());
      }
      if (request.user() != null && field(json, "user")) {
        json.writeString(request.user());
      }
      if (request.stream()) {
        json.writeBooleanField("stream", true);
        // The gateway always wants usage, whatever the client asked, to charge for the stream.
        if (profile.streamUsageOption() && profile.supports("stream_options")) {
          json.writeObjectFieldStart("stream_options");
          json.writeBooleanField("include_usage", true);
          json.writeEndObject();
        }
      }
      writeExtra(json, request.extra());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode request", e); // in-memory: does not happen
    }
    return bytes.toByteArray();
  }

  /** Writes the field name if the profile sends it; returns whether the value should follow. */
  private boolean field(JsonGenerator json, String openAiName) throws IOException {
    if (!profile.supports(openAiName)) {
      return false;
    }
    json.writeFieldName(profile.wireName(openAiName));
    return true;
  }

  private void writeMessage(JsonGenerator json, Message message) throws IOException {
    json.writeStartObject();
    Role role = message.role();
    json.writeStringField(
        "role", role == Role.DEVELOPER && developerAsSystem ? Role.SYSTEM.wireName() : role.wireName());
    writeContent(json, message);
    if (message.name() != null && sendMessageNames) {
      json.writeStringField("name", message.name());
    }
    if (!message.toolCalls().isEmpty()) {
      json.writeArrayFieldStart("tool_calls");
      for (ToolCall call : message.toolCalls()) {
        json.writeStartObject();
        json.writeStringField("id", call.id());
        json.writeStringField("type", "function");
        json.writeObjectFieldStart("function");
        json.writeStringField("name", call.name());
        json.writeStringField("arguments", call.arguments());
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    if (message.toolCallId() != null) {
      json.writeStringField("tool_call_id", message.toolCallId());
    }
    if (message.reasoning() != null && echoReasoning && role == Role.ASSISTANT) {
      json.writeStringField("reasoning", message.reasoning());
    }
    json.writeEndObject();
  }

  private void writeContent(JsonGenerator json, Message message) throws IOException {
    List<ContentPart> parts = sendable(message.content());
    if (parts.isEmpty()) {
      // OpenAI: content is "required unless tool_calls ... is specified"; null is what its SDKs send.
      if (message.toolCalls().isEmpty()) {
        json.writeStringField("content", "");
      } else {
        json.writeNullField("content");
      }
      return;
    }
    // A single text part goes as a plain string: the one form every compatible server accepts.
    if (parts.size() == 1 && parts.getFirst() instanceof ContentPart.Text(String text)) {
      json.writeStringField("content", text);
      return;
    }
    json.writeArrayFieldStart("content");
    for (ContentPart part : parts) {
      writePart(json, part);
    }
    json.writeEndArray();
  }

  /**
   * The parts this upstream can take. Signed thinking blocks (Anthropic's, kept whole so an
   * Anthropic upstream gets them back) are not content here: OpenAI-style servers refuse an
   * assistant part of that type, and the reasoning text itself goes as {@code reasoning} where the
   * profile echoes it. A text part kept whole for its {@code cache_control} is plain text unless
   * the upstream caches by it ({@code cache_control} quirk): strict servers refuse the field.
   */
  private List<ContentPart> sendable(List<ContentPart> parts) throws IOException {
    boolean plain = true;
    for (ContentPart part : parts) {
      plain &= !(part instanceof ContentPart.Unknown);
    }
    if (plain) {
      return parts;
    }
    List<ContentPart> result = new java.util.ArrayList<>(parts.size());
    for (ContentPart part : parts) {
      switch (part) {
        case ContentPart.Unknown(String type, RawJson raw)
            when type.equals("thinking") || type.equals("redacted_thinking") -> {}
        case ContentPart.Unknown(String type, RawJson raw) when type.equals("text") && !cacheControl ->
            result.add(new ContentPart.Text(OpenAiWire.JSON.readTree(raw.json()).path("text").asText("")));
        default -> result.add(part);
      }
    }
    return result;
  }

  private static void writePart(JsonGenerator json, ContentPart part) throws IOException {
    switch (part) {
      case ContentPart.Text(String text) -> {
        json.writeStartObject();
        json.writeStringField("type", "text");
        json.writeStringField("text", text);
        json.writeEndObject();
      }
      case ContentPart.Image(String url, String detail) -> {
        json.writeStartObject();
        json.writeStringField("type", "image_url");
        json.writeObjectFieldStart("image_url");
        json.writeStringField("url", url);
        if (detail != null) {
          json.writeStringField("detail", detail);
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      case ContentPart.InputAudio(String data, String format) -> {
        json.writeStartObject();
        json.writeStringField("type", "input_audio");
        json.writeObjectFieldStart("input_audio");
        json.writeStringField("data", data);
        json.writeStringField("format", format);
        json.writeEndObject();
        json.writeEndObject();
      }
      case ContentPart.File(String filename, String fileData, String fileId) -> {
        json.writeStartObject();
        json.writeStringField("type", "file");
        json.writeObjectFieldStart("file");
        writeIfSet(json, "filename", filename);
        writeIfSet(json, "file_data", fileData);
        writeIfSet(json, "file_id", fileId);
        json.writeEndObject();
        json.writeEndObject();
      }
      // A part type the gateway does not model is forwarded as the client sent it: a same-dialect
      // upstream may know it, and if not, its own 400 is the most precise answer.
      case ContentPart.Unknown(String type, RawJson raw) -> json.writeRawValue(raw.json());
    }
  }

  private void writeTools(JsonGenerator json, ChatRequest request) throws IOException {
    if (!request.tools().isEmpty() && field(json, "tools")) {
      json.writeStartArray();
      for (ToolSpec tool : request.tools()) {
        json.writeStartObject();
        json.writeStringField("type", "function");
        json.writeObjectFieldStart("function");
        json.writeStringField("name", tool.name());
        writeIfSet(json, "description", tool.description());
        if (tool.parameters() != null) {
          json.writeFieldName("parameters");
          json.writeRawValue(tool.parameters().json());
        }
        if (tool.strict() != null) {
          json.writeBooleanField("strict", tool.strict());
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    ToolChoice choice = request.toolChoice();
    if (choice != null && field(json, "tool_choice")) {
      switch (choice) {
        case ToolChoice.Auto() -> json.writeString("auto");
        case ToolChoice.None() -> json.writeString("none");
        case ToolChoice.Required() -> json.writeString("required");
        case ToolChoice.Function(String name) -> {
          json.writeStartObject();
          json.writeStringField("type", "function");
          json.writeObjectFieldStart("function");
          json.writeStringField("name", name);
          json.writeEndObject();
          json.writeEndObject();
        }
      }
    }
    if (request.parallelToolCalls() != null && field(json, "parallel_tool_calls")) {
      json.writeBoolean(request.parallelToolCalls());
    }
  }

  private void writeResponseFormat(JsonGenerator json, @Nullable ResponseFormat format) throws IOException {
    if (format == null || !field(json, "response_format")) {
      return;
    }
    json.writeStartObject();
    switch (format) {
      case ResponseFormat.Text() -> json.writeStringField("type", "text");
      case ResponseFormat.JsonObject() -> json.writeStringField("type", "json_object");
      case ResponseFormat.JsonSchema(String name, String description, RawJson schema, Boolean strict) -> {
        json.writeStringField("type", "json_schema");
        json.writeObjectFieldStart("json_schema");
        json.writeStringField("name", name);
        writeIfSet(json, "description", description);
        if (schema != null) {
          json.writeFieldName("schema");
          json.writeRawValue(schema.json());
        }
        if (strict != null) {
          json.writeBooleanField("strict", strict);
        }
        json.writeEndObject();
      }
    }
    json.writeEndObject();
  }

  private void writeExtra(JsonGenerator json, Map<String, RawJson> extra) throws IOException {
    if (extra.isEmpty()) {
      return;
    }
    // Sorted so the same request always encodes to the same bytes (Map.copyOf has no order).
    for (Map.Entry<String, RawJson> entry : extra.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      String name = entry.getKey();
      if (reserved.contains(name) || !profile.supports(name)) {
        continue;
      }
      json.writeFieldName(profile.wireName(name));
      json.writeRawValue(entry.getValue().json());
    }
  }

  private static void writeIfSet(JsonGenerator json, String name, @Nullable String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }
}
