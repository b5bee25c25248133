package dev.switchboard.http.anthropic;

import static dev.switchboard.http.openai.JsonFields.bool;
import static dev.switchboard.http.openai.JsonFields.invalid;
import static dev.switchboard.http.openai.JsonFields.object;
import static dev.switchboard.http.openai.JsonFields.requireString;
import static dev.switchboard.http.openai.JsonFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads Anthropic's {@code system} and {@code messages} into canonical messages: the system prompt
 * becomes a leading system message; a user turn's {@code tool_result} blocks become tool messages
 * (before the rest of that turn, the order Anthropic requires and OpenAI's format needs); an
 * assistant turn's {@code tool_use} blocks become tool calls and its thinking blocks its reasoning.
 * Stateless.
 */
final class AnthropicMessageReader {

  List<Message> read(@Nullable JsonNode system, JsonNode messages) {
    List<Message> result = new ArrayList<>(messages.size() + 1);
    Message systemMessage = system(system);
    if (systemMessage != null) {
      result.add(systemMessage);
    }
    for (int i = 0; i < messages.size(); i++) {
      String path = "messages[" + i + "]";
      JsonNode message = messages.get(i);
      if (!message.isObject()) {
        throw invalid("", path, "must be an object with a role and content", message);
      }
      String role = requireString(message, "role", path);
      JsonNode content = message.get("content");
      if (content == null || content.isNull()) {
        throw new InvalidRequest(path + ".content", path + ".content is required");
      }
      if (!content.isTextual() && !content.isArray()) {
        throw invalid(path, "content", "must be a string or an array of content blocks", content);
      }
      switch (role) {
        case "user" -> user(content, path + ".content", result);
        case "assistant" -> result.add(assistant(content, path + ".content"));
        default -> throw new InvalidRequest(path + ".role",
            path + ".role must be \"user\" or \"assistant\" (the system prompt is the top-level system field),"
                + " got '" + role + "'");
      }
    }
    return result;
  }

  private static @Nullable Message system(@Nullable JsonNode system) {
    if (system == null || system.isNull()) {
      return null;
    }
    if (system.isTextual()) {
      return system.textValue().isEmpty() ? null : Message.text(Role.SYSTEM, system.textValue());
    }
    if (!system.isArray()) {
      throw invalid("", "system", "must be a string or an array of text blocks", system);
    }
    List<ContentPart> parts = new ArrayList<>(system.size());
    for (int i = 0; i < system.size(); i++) {
      String path = "system[" + i + "]";
      JsonNode block = block(system.get(i), path);
      String type = requireString(block, "type", path);
      if (!type.equals("text")) {
        throw new InvalidRequest(path + ".type", path + ".type must be \"text\", got '" + type + "'");
      }
      parts.add(text(block, path));
    }
    return parts.isEmpty() ? null : new Message(Role.SYSTEM, parts, null, List.of(), null, null);
  }

  /** A user turn: its tool results as tool messages first, then the rest as one user message. */
  private static void user(JsonNode content, String path, List<Message> into) {
    if (content.isTextual()) {
      into.add(Message.text(Role.USER, content.textValue()));
      return;
    }
    List<ContentPart> parts = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      String blockPath = path + "[" + i + "]";
      JsonNode block = block(content.get(i), blockPath);
      String type = requireString(block, "type", blockPath);
      if (type.equals("tool_result")) {
        into.add(toolResult(block, blockPath));
      } else {
        parts.add(part(block, type, blockPath));
      }
    }
    if (!parts.isEmpty()) {
      into.add(new Message(Role.USER, parts, null, List.of(), null, null));
    }
  }

  /**
   * An assistant turn. Thinking blocks become its reasoning text and stay whole as {@link
   * ContentPart.Unknown} parts, so an Anthropic upstream gets them back with their signatures (it
   * rejects a tool-use continuation without them).
   */
  private static Message assistant(JsonNode content, String path) {
    if (content.isTextual()) {
      return Message.text(Role.ASSISTANT, content.textValue());
    }
    List<ContentPart> parts = new ArrayList<>(content.size());
    List<ToolCall> calls = new ArrayList<>();
    StringBuilder reasoning = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      String blockPath = path + "[" + i + "]";
      JsonNode block = block(content.get(i), blockPath);
      String type = requireString(block, "type", blockPath);
      switch (type) {
        case "tool_use" -> calls.add(toolUse(block, blockPath));
        case "thinking" -> {
          reasoning.append(requireString(block, "thinking", blockPath));
          parts.add(new ContentPart.Unknown(type, new RawJson(block.toString())));
        }
        default -> parts.add(part(block, type, blockPath));
      }
    }
    return new Message(Role.ASSISTANT, parts, null, calls, null, reasoning.isEmpty() ? null : reasoning.toString());
  }

  /** A content block other than tool_use, tool_result and thinking. */
  private static ContentPart part(JsonNode block, String type, String path) {
    return switch (type) {
      case "text" -> text(block, path);
      case "image" -> image(block, path);
      case "document" -> document(block, path);
      // Anything else (redacted_thinking, search_result, server tool blocks…) goes on verbatim: an
      // Anthropic upstream knows it, and other upstreams' adapters decide what they can do with it.
      default -> new ContentPart.Unknown(type, new RawJson(block.toString()));
    };
  }

  /**
   * A text block; one that carries {@code cache_control} stays whole as an {@link
   * ContentPart.Unknown} of type {@code text}, so its cache breakpoint reaches an upstream that
   * caches (the adapters send such a part as text, with or without the breakpoint).
   */
  private static ContentPart text(JsonNode block, String path) {
    String text = requireString(block, "text", path);
    if (block.hasNonNull("cache_control")) {
      return new ContentPart.Unknown("text", new RawJson(block.toString()));
    }
    return new ContentPart.Text(text);
  }

  private static ContentPart image(JsonNode block, String path) {
    JsonNode source = source(block, path);
    String sourcePath = path + ".source";
    String type = requireString(source, "type", sourcePath);
    return switch (type) {
      case "base64" -> new ContentPart.Image("data:" + requireString(source, "media_type", sourcePath)
          + ";base64," + requireString(source, "data", sourcePath), null);
      case "url" -> new ContentPart.Image(url(source, sourcePath), null);
      default -> throw new InvalidRequest(sourcePath + ".type", sourcePath + ".type must be \"base64\" or"
          + " \"url\" (file ids need Anthropic's Files API, which this gateway does not offer), got '" + type + "'");
    };
  }

  /**
   * A document: a PDF (base64 or by URL) becomes a file part; a plain-text document becomes text,
   * which every upstream reads.
   */
  private static ContentPart document(JsonNode block, String path) {
    JsonNode source = source(block, path);
    String sourcePath = path + ".source";
    String type = requireString(source, "type", sourcePath);
    String title = string(block, "title", path);
    return switch (type) {
      case "base64" -> {
        String mediaType = requireString(source, "media_type", sourcePath);
        yield new ContentPart.File(title == null ? "document.pdf" : title,
            "data:" + mediaType + ";base64," + requireString(source, "data", sourcePath), null);
      }
      case "url" -> new ContentPart.File(title == null ? "document.pdf" : title, url(source, sourcePath), null);
      case "text" -> new ContentPart.Text(requireString(source, "data", sourcePath));
      default -> throw new InvalidRequest(sourcePath + ".type", sourcePath + ".type must be \"base64\", \"url\""
          + " or \"text\", got '" + type + "'");
    };
  }

  private static ToolCall toolUse(JsonNode block, String path) {
    JsonNode input = block.get("input");
    if (input != null && !input.isNull() && !input.isObject()) {
      throw invalid(path, "input", "must be an object", input);
    }
    return new ToolCall(requireString(block, "id", path), requireString(block, "name", path),
        input == null || input.isNull() ? "{}" : input.toString());
  }

  /**
   * A tool result as a tool message. Anthropic's {@code is_error} has no canonical field, so it is
   * kept in the text the model reads ({@code Error: …}).
   */
  private static Message toolResult(JsonNode block, String path) {
    String id = requireString(block, "tool_use_id", path);
    JsonNode content = block.get("content");
    List<ContentPart> parts = new ArrayList<>();
    if (content != null && content.isTextual()) {
      parts.add(new ContentPart.Text(content.textValue()));
    } else if (content != null && content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        String partPath = path + ".content[" + i + "]";
        JsonNode part = block(content.get(i), partPath);
        parts.add(part(part, requireString(part, "type", partPath), partPath));
      }
    } else if (content != null && !content.isNull()) {
      throw invalid(path, "content", "must be a string or an array of content blocks", content);
    }
    if (Boolean.TRUE.equals(bool(block, "is_error", path))) {
      parts.addFirst(new ContentPart.Text(parts.isEmpty() ? "Error" : "Error: "));
      parts = merged(parts);
    }
    return new Message(Role.TOOL, parts, null, List.of(), id, null);
  }

  /** The "Error: " prefix joined to a leading text part, so a plain result stays one text. */
  private static List<ContentPart> merged(List<ContentPart> parts) {
    if (parts.size() >= 2 && parts.get(0) instanceof ContentPart.Text(String prefix)
        && parts.get(1) instanceof ContentPart.Text(String text)) {
      List<ContentPart> joined = new ArrayList<>(parts.subList(1, parts.size()));
      joined.set(0, new ContentPart.Text(prefix + text));
      return joined;
    }
    return parts;
  }

  private static JsonNode source(JsonNode block, String path) {
    JsonNode source = object(block, "source", path);
    if (source == null) {
      throw new InvalidRequest(path + ".source", path + ".source is required");
    }
    return source;
  }

  private static String url(JsonNode source, String path) {
    String url = requireString(source, "url", path);
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new InvalidRequest(path + ".url", path + ".url must be an http(s) URL");
    }
    return url;
  }

  private static JsonNode block(JsonNode node, String path) {
    if (!node.isObject()) {
      throw invalid("", path, "must be an object with a type", node);
    }
    return node;
  }
}
