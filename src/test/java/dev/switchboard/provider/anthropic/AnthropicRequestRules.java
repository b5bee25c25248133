package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A hand-rolled check of an encoded body against what Anthropic accepts: the {@code
 * CreateMessageParams} schema of {@code shared/reference/specs/anthropic.yaml} (required fields,
 * {@code additionalProperties: false}, block shapes, id and name patterns, ranges) plus the rules
 * its documentation states and its 400s enforce (alternating roles, tool results first and
 * answering the previous turn's calls, the limits that come with thinking). Not a full JSON Schema
 * validator: enough to catch an encoder that drifts from the format, without a schema library.
 */
final class AnthropicRequestRules {
  /** The spec's CreateMessageParams properties plus fields documented since (thinking, ...). */
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "model", "messages", "max_tokens", "metadata", "stop_sequences", "stream", "system", "temperature",
          "tool_choice", "tools", "top_k", "top_p", "thinking", "service_tier", "container", "mcp_servers",
          "context_management", "output_config", "cache_control");

  private static final Set<String> BLOCK_TYPES =
      Set.of(
          "text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking", "search_result",
          "server_tool_use", "web_search_tool_result");

  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  private static final Pattern ID = Pattern.compile("^[a-zA-Z0-9_-]+$");
  private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

  private AnthropicRequestRules() {}

  /** Every rule {@code body} breaks; empty when Anthropic should accept it. */
  static List<String> violations(JsonNode body) {
    var out = new ArrayList<String>();
    body.fieldNames().forEachRemaining(name -> check(out, TOP_LEVEL.contains(name), "unknown top-level field " + name));
    check(out, body.path("model").isTextual() && !body.path("model").asText().isEmpty(), "model is required");
    check(out, body.path("max_tokens").isIntegralNumber() && body.path("max_tokens").asInt() >= 1, "max_tokens >= 1 is required");
    system(out, body.get("system"));
    messages(out, body.path("messages"));
    Set<String> toolNames = tools(out, body.get("tools"));
    JsonNode choice = body.get("tool_choice");
    if (choice != null) {
      check(out, !toolNames.isEmpty(), "tool_choice without tools");
      String type = choice.path("type").asText();
      check(out, Set.of("auto", "any", "tool", "none").contains(type), "tool_choice.type " + type);
      if (type.equals("tool")) {
        check(out, toolNames.contains(choice.path("name").asText()), "tool_choice names an unknown tool");
      }
      if (type.equals("none")) {
        check(out, !choice.has("disable_parallel_tool_use"), "tool_choice none takes no disable_parallel_tool_use");
      }
    }
    JsonNode temperature = body.get("temperature");
    JsonNode topP = body.get("top_p");
    check(out, temperature == null || (temperature.isNumber() && temperature.asDouble() >= 0 && temperature.asDouble() <= 1),
        "temperature must be within 0..1");
    check(out, topP == null || (topP.isNumber() && topP.asDouble() >= 0 && topP.asDouble() <= 1), "top_p must be within 0..1");
    check(out, temperature == null || topP == null, "temperature and top_p cannot both be specified");
    JsonNode thinking = body.get("thinking");
    if (thinking != null && thinking.path("type").asText().equals("enabled")) {
      int budget = thinking.path("budget_tokens").asInt(0);
      check(out, budget >= 1024 && budget < body.path("max_tokens").asInt(), "thinking budget must be >= 1024 and < max_tokens");
      check(out, temperature == null && !body.has("top_k"), "thinking allows no temperature or top_k");
      check(out, topP == null || topP.asDouble() >= 0.95, "thinking allows top_p only from 0.95");
      String type = choice == null ? "auto" : choice.path("type").asText();
      check(out, type.equals("auto") || type.equals("none"), "thinking is incompatible with forced tool use");
    }
    JsonNode metadata = body.get("metadata");
    if (metadata != null) {
      metadata.fieldNames().forEachRemaining(name -> check(out, name.equals("user_id"), "metadata." + name));
      check(out, metadata.path("user_id").isTextual() && metadata.path("user_id").asText().length() <= 256,
          "metadata.user_id must be a string of at most 256 characters");
    }
    JsonNode stops = body.get("stop_sequences");
    if (stops != null) {
      check(out, stops.isArray(), "stop_sequences must be an array");
      stops.forEach(s -> check(out, s.isTextual(), "stop_sequences holds strings"));
    }
    check(out, !body.has("stream") || body.get("stream").isBoolean(), "stream is a boolean");
    return out;
  }

  private static void system(List<String> out, JsonNode system) {
    if (system == null || system.isTextual()) {
      return;
    }
    check(out, system.isArray(), "system is a string or an array of text blocks");
    for (JsonNode block : system) {
      check(out, block.path("type").asText().equals("text"), "system holds only text blocks");
      textBlock(out, block, "system");
    }
  }

  private static void messages(List<String> out, JsonNode messages) {
    check(out, messages.isArray() && !messages.isEmpty(), "messages must be a non-empty array");
    String previousRole = null;
    Set<String> openCalls = Set.of();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String path = "messages[" + i + "]";
      message.fieldNames().forEachRemaining(name -> check(out, name.equals("role") || name.equals("content"), path + "." + name));
      String role = message.path("role").asText();
      check(out, role.equals("user") || role.equals("assistant"), path + ".role " + role);
      check(out, !role.equals(previousRole), path + ": roles must alternate");
      previousRole = role;
      JsonNode content = message.path("content");
      boolean last = i == messages.size() - 1;
      if (content.isTextual()) {
        check(out, !content.asText().isBlank() || (last && role.equals("assistant")), path + ": empty content");
        openCalls = Set.of();
        continue;
      }
      check(out, content.isArray() && (!content.isEmpty() || (last && role.equals("assistant"))), path + ": empty content");
      var calls = new HashSet<String>();
      boolean pastResults = false;
      boolean pastThinking = false;
      for (int b = 0; b < content.size(); b++) {
        JsonNode block = content.get(b);
        String at = path + ".content[" + b + "]";
        String type = block.path("type").asText();
        check(out, BLOCK_TYPES.contains(type), at + ": unknown block type " + type);
        switch (type) {
          case "text" -> textBlock(out, block, at);
          case "image" -> image(out, block, at);
          case "document" -> document(out, block, at);
          case "tool_use" -> {
            check(out, role.equals("assistant"), at + ": tool_use outside an assistant turn");
            check(out, ID.matcher(block.path("id").asText()).matches(), at + ".id pattern");
            check(out, TOOL_NAME.matcher(block.path("name").asText()).matches(), at + ".name pattern");
            check(out, block.path("input").isObject(), at + ".input must be an object");
            calls.add(block.path("id").asText());
          }
          case "tool_result" -> {
            check(out, role.equals("user"), at + ": tool_result outside a user turn");
            check(out, !pastResults, at + ": tool_result blocks must come first");
            String id = block.path("tool_use_id").asText();
            check(out, ID.matcher(id).matches(), at + ".tool_use_id pattern");
            check(out, openCalls.contains(id), at + ": tool_result for a call the previous turn did not make: " + id);
            JsonNode result = block.get("content");
            if (result != null && result.isArray()) {
              result.forEach(part -> check(out, Set.of("text", "image", "document").contains(part.path("type").asText()),
                  at + ": tool_result content holds text, images and documents"));
            }
          }
          case "thinking", "redacted_thinking" -> {
            check(out, role.equals("assistant"), at + ": thinking outside an assistant turn");
            check(out, !pastThinking, at + ": thinking blocks must lead the turn");
            check(out, type.equals("redacted_thinking") || block.path("signature").isTextual(), at + ": thinking without signature");
          }
          default -> { }
        }
        pastResults |= !type.equals("tool_result");
        pastThinking |= !type.equals("thinking") && !type.equals("redacted_thinking");
      }
      if (last && role.equals("assistant") && !content.isEmpty()) {
        JsonNode tail = content.get(content.size() - 1);
        check(out, !tail.path("type").asText().equals("text") || tail.path("text").asText().equals(tail.path("text").asText().stripTrailing()),
            path + ": a final assistant turn may not end in whitespace");
      }
      openCalls = calls;
    }
  }

  private static Set<String> tools(List<String> out, JsonNode tools) {
    var names = new HashSet<String>();
    if (tools == null) {
      return names;
    }
    check(out, tools.isArray(), "tools is an array");
    for (JsonNode tool : tools) {
      tool.fieldNames().forEachRemaining(name -> check(out,
          Set.of("name", "description", "input_schema", "cache_control", "type").contains(name), "tools[]." + name));
      String name = tool.path("name").asText();
      check(out, TOOL_NAME.matcher(name).matches(), "tool name pattern: " + name);
      check(out, names.add(name), "tool names must be unique: " + name);
      check(out, tool.path("input_schema").path("type").asText().equals("object"), "input_schema.type must be object");
    }
    return names;
  }

  private static void textBlock(List<String> out, JsonNode block, String at) {
    block.fieldNames().forEachRemaining(name -> check(out,
        Set.of("type", "text", "cache_control", "citations").contains(name), at + "." + name));
    check(out, block.path("text").isTextual() && !block.path("text").asText().isBlank(), at + ": text must be non-blank");
  }

  private static void image(List<String> out, JsonNode block, String at) {
    JsonNode source = block.path("source");
    switch (source.path("type").asText()) {
      case "base64" -> {
        check(out, IMAGE_TYPES.contains(source.path("media_type").asText()), at + ": image media_type");
        check(out, source.path("data").isTextual(), at + ": image data");
      }
      case "url" -> check(out, source.path("url").asText().startsWith("http"), at + ": image url");
      default -> out.add(at + ": image source type " + source.path("type"));
    }
  }

  private static void document(List<String> out, JsonNode block, String at) {
    block.fieldNames().forEachRemaining(name -> check(out,
        Set.of("type", "source", "title", "context", "citations", "cache_control").contains(name), at + "." + name));
    JsonNode source = block.path("source");
    switch (source.path("type").asText()) {
      case "base64" -> check(out, source.path("media_type").asText().equals("application/pdf"), at + ": document media_type");
      case "text" -> check(out, source.path("media_type").asText().equals("text/plain") && source.path("data").isTextual(),
          at + ": text document");
      case "url" -> check(out, source.path("url").asText().startsWith("http"), at + ": document url");
      default -> out.add(at + ": document source type " + source.path("type"));
    }
  }

  private static void check(List<String> out, boolean ok, String rule) {
    if (!ok) {
      out.add(rule);
    }
  }
}
