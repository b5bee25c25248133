package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ToolCall;
import dev.switchboard.provider.anthropic.AnthropicWire.DataUrl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Canonical messages to Anthropic's top-level {@code system} and its {@code messages}: system and
 * developer turns are hoisted into {@code system}; tool turns become {@code tool_result} blocks of
 * a user turn; consecutive turns of one role are merged, because Anthropic requires user and
 * assistant turns to alternate; content parts become Anthropic blocks. Part of {@link
 * AnthropicRequestEncoder}; see {@code package-info} for every choice made here.
 */
final class AnthropicMessages {
  private AnthropicMessages() {}

  /**
   * The conversation in Anthropic's shape. The arrays are fresh and owned by the caller.
   *
   * @param openToolLoopWithoutThinking whether the conversation ends in tool results answering an
   *     assistant turn that has no thinking block, which Anthropic rejects when thinking is on
   */
  record Conversation(ArrayNode system, ArrayNode messages, boolean openToolLoopWithoutThinking) {}

  static Conversation of(List<Message> messages) {
    ArrayNode system = AnthropicWire.JSON.createArrayNode();
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      read(messages.get(i), "messages[" + i + "]", system, turns);
    }
    trimPrefill(turns);
    ArrayNode out = AnthropicWire.JSON.createArrayNode();
    for (Turn turn : turns) {
      out.addObject().put("role", turn.role).set("content", turn.content());
    }
    return new Conversation(system, out, openToolLoopWithoutThinking(turns));
  }

  /** Files one message under {@code system} or into the turns, merging same-role neighbours. */
  private static void read(Message message, String path, ArrayNode system, List<Turn> turns) {
    switch (message.role()) {
      case SYSTEM, DEVELOPER -> {
        // Anthropic has one top-level system prompt; system turns anywhere are hoisted into it, in order.
        for (ContentPart part : message.content()) {
          ObjectNode block = switch (part) {
            case ContentPart.Text(String text) -> text.isBlank() ? null : textBlock(text);
            case ContentPart.Unknown(String type, RawJson raw) when type.equals("text") -> cachedText(raw, path);
            default -> throw new InvalidRequest(path + ".content",
                path + ": anthropic accepts only text in system messages");
          };
          if (block != null) {
            system.add(block);
          }
        }
      }
      case USER -> {
        Turn turn = new Turn("user");
        for (ContentPart part : message.content()) {
          add(turn.blocks, block(part, path));
        }
        merge(turns, turn);
      }
      case TOOL -> {
        if (message.toolCallId() == null) {
          throw new InvalidRequest(path + ".tool_call_id", path + ".tool_call_id is required");
        }
        ObjectNode result = AnthropicWire.JSON.createObjectNode()
            .put("type", "tool_result")
            .put("tool_use_id", AnthropicWire.toolId(message.toolCallId()));
        ArrayNode content = AnthropicWire.JSON.createArrayNode();
        for (ContentPart part : message.content()) {
          add(content, block(part, path));
        }
        // A lone plain text result goes as a string, the form Anthropic's examples use.
        if (content.size() == 1 && content.get(0) instanceof ObjectNode only
            && "text".equals(only.path("type").asText()) && only.size() == 2) {
          result.put("content", only.get("text").asText());
        } else if (!content.isEmpty()) {
          result.set("content", content);
        }
        Turn turn = new Turn("user");
        turn.results.add(result);
        merge(turns, turn);
      }
      case ASSISTANT -> {
        Turn turn = new Turn("assistant");
        // Signed thinking blocks lead, as Anthropic requires. Reasoning text without its signature
        // is not sent: Anthropic rejects a thinking block whose signature is missing or wrong.
        for (ContentPart part : message.content()) {
          if (part instanceof ContentPart.Unknown(String type, RawJson raw) && isThinking(type) && isSigned(raw)) {
            turn.blocks.addRawValue(new RawValue(raw.json()));
            turn.startsWithThinking = true;
          }
        }
        for (ContentPart part : message.content()) {
          if (!(part instanceof ContentPart.Unknown(String type, RawJson raw) && isThinking(type))) {
            add(turn.blocks, block(part, path));
          }
        }
        for (int c = 0; c < message.toolCalls().size(); c++) {
          ToolCall call = message.toolCalls().get(c);
          ObjectNode use = turn.blocks.addObject()
              .put("type", "tool_use")
              .put("id", AnthropicWire.toolId(call.id()))
              .put("name", call.name());
          use.putRawValue("input", new RawValue(arguments(call, path + ".tool_calls[" + c + "]")));
          turn.hasToolUse = true;
        }
        merge(turns, turn);
      }
    }
  }

  /** Adds a turn's blocks to the previous turn when it has the same role; drops empty turns. */
  private static void merge(List<Turn> turns, Turn turn) {
    if (turn.results.isEmpty() && turn.blocks.isEmpty()) {
      return; // Anthropic rejects empty content; an empty turn says nothing anyway
    }
    Turn last = turns.isEmpty() ? null : turns.getLast();
    if (last == null || !last.role.equals(turn.role)) {
      turns.add(turn);
      return;
    }
    last.results.addAll(turn.results);
    last.blocks.addAll(turn.blocks);
    last.hasToolUse |= turn.hasToolUse;
  }

  /** One user-side content part as an Anthropic block; null for text with nothing in it. */
  private static @Nullable JsonNode block(ContentPart part, String path) {
    return switch (part) {
      case ContentPart.Text(String text) -> text.isBlank() ? null : textBlock(text);
      case ContentPart.Image(String url, String detail) -> image(url, path);
      case ContentPart.File(String filename, String fileData, String fileId) ->
          document(filename, fileData, fileId, path);
      case ContentPart.InputAudio audio ->
          throw new InvalidRequest(path + ".content", path + ": anthropic does not accept audio input");
      case ContentPart.Unknown(String type, RawJson raw) -> switch (type) {
        case "text" -> cachedText(raw, path);
        // OpenAI's refusal part, from a history answered by another provider: its text is what was said.
        case "refusal" -> refusal(raw);
        // Anthropic-native blocks (document, search_result, thinking, ...) and anything else go
        // verbatim: Anthropic's own 400 names an unknown type more precisely than we could.
        default -> AnthropicWire.JSON.getNodeFactory().rawValueNode(new RawValue(raw.json()));
      };
    };
  }

  private static ObjectNode image(String url, String path) {
    ObjectNode block = AnthropicWire.JSON.createObjectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    DataUrl data = AnthropicWire.dataUrl(url);
    if (data != null) {
      if (!data.base64()) {
        throw new InvalidRequest(path + ".content", path + ": an image data: URL must be base64-encoded");
      }
      source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.data());
      return block;
    }
    if (url.startsWith("http://") || url.startsWith("https://")) {
      source.put("type", "url").put("url", url);
      return block;
    }
    throw new InvalidRequest(path + ".content", path + ": an image must be an http(s) URL or a data: URL");
  }

  /** A file part as a {@code document} block: PDFs (inline or by URL) and plain text. */
  private static ObjectNode document(
      @Nullable String filename, @Nullable String fileData, @Nullable String fileId, String path) {
    if (fileData == null) {
      // Anthropic file ids need its Files API beta and are not OpenAI's; there is nothing to map.
      throw new InvalidRequest(path + ".content",
          path + ": anthropic needs the file's content as a data: URL; file_id " + fileId + " cannot be sent");
    }
    ObjectNode block = AnthropicWire.JSON.createObjectNode().put("type", "document");
    ObjectNode source = block.putObject("source");
    DataUrl data = AnthropicWire.dataUrl(fileData);
    if (data == null && (fileData.startsWith("http://") || fileData.startsWith("https://"))) {
      source.put("type", "url").put("url", fileData);
    } else if (data != null && data.base64() && data.mediaType().equals("application/pdf")) {
      source.put("type", "base64").put("media_type", "application/pdf").put("data", data.data());
    } else if (data != null && data.base64() && data.mediaType().equals("text/plain")) {
      String text;
      try {
        text = new String(Base64.getMimeDecoder().decode(data.data()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequest(path + ".content", path + ": the file's base64 data is invalid");
      }
      source.put("type", "text").put("media_type", "text/plain").put("data", text);
    } else {
      throw new InvalidRequest(path + ".content", path
          + ": anthropic reads files as PDF or plain text, given as a base64 data: URL or an http(s) URL; got "
          + (data == null ? "something else" : data.mediaType() + (data.base64() ? "" : " without base64")));
    }
    if (filename != null && !filename.isBlank()) {
      block.put("title", filename);
    }
    return block;
  }

  private static ObjectNode textBlock(String text) {
    return AnthropicWire.JSON.createObjectNode().put("type", "text").put("text", text);
  }

  /**
   * A text part the client sent with fields the canonical model has no place for (above all
   * {@code cache_control}), kept as {@link ContentPart.Unknown}: rebuilt with only the fields an
   * Anthropic text block has, since Anthropic rejects unknown ones.
   */
  private static @Nullable ObjectNode cachedText(RawJson raw, String path) {
    JsonNode part = parse(raw.json(), path);
    String text = part.path("text").asText("");
    if (text.isBlank()) {
      return null;
    }
    ObjectNode block = textBlock(text);
    if (part.path("cache_control").isObject()) {
      block.set("cache_control", part.get("cache_control"));
    }
    return block;
  }

  private static @Nullable ObjectNode refusal(RawJson raw) {
    String text = parse(raw.json(), "refusal").path("refusal").asText("");
    return text.isBlank() ? null : textBlock(text);
  }

  private static boolean isThinking(String type) {
    return type.equals("thinking") || type.equals("redacted_thinking");
  }

  /**
   * Whether a thinking part holds a block Anthropic will take back: a {@code thinking} block with
   * its {@code signature} or a {@code redacted_thinking} block with its {@code data}. Another
   * adapter's part of the same type name, or a hand-made one, is left out like unsigned reasoning.
   */
  private static boolean isSigned(RawJson raw) {
    JsonNode block;
    try {
      block = AnthropicWire.JSON.readTree(raw.json());
    } catch (JacksonException e) {
      return false;
    }
    return switch (block == null ? "" : block.path("type").asText()) {
      case "thinking" -> block.path("thinking").isTextual() && block.path("signature").isTextual()
          && !block.path("signature").asText().isEmpty();
      case "redacted_thinking" -> block.path("data").isTextual();
      default -> false;
    };
  }

  /** The tool call's arguments as an object's JSON text; {@code {}} when empty. */
  private static String arguments(ToolCall call, String path) {
    String text = call.arguments().strip();
    if (text.isEmpty()) {
      return "{}";
    }
    JsonNode parsed;
    try {
      parsed = AnthropicWire.JSON.readTree(text);
    } catch (JacksonException e) {
      parsed = null;
    }
    if (parsed == null || !parsed.isObject()) {
      throw new InvalidRequest(path + ".function.arguments",
          path + ".function.arguments must be a JSON object for anthropic (tool_use.input)");
    }
    return text;
  }

  /** An assistant prefill may not end in whitespace (Anthropic's 400 says so); trim it. */
  private static void trimPrefill(List<Turn> turns) {
    if (turns.isEmpty() || !turns.getLast().role.equals("assistant")) {
      return;
    }
    ArrayNode blocks = turns.getLast().blocks;
    if (blocks.isEmpty() || !(blocks.get(blocks.size() - 1) instanceof ObjectNode last)
        || !"text".equals(last.path("type").asText()) || last.size() != 2) {
      return;
    }
    String trimmed = last.get("text").asText().stripTrailing();
    if (trimmed.isEmpty()) {
      blocks.remove(blocks.size() - 1);
      if (blocks.isEmpty()) {
        turns.removeLast();
      }
    } else {
      last.put("text", trimmed);
    }
  }

  /** Whether the conversation ends in a tool loop whose assistant turn has no thinking block. */
  private static boolean openToolLoopWithoutThinking(List<Turn> turns) {
    if (turns.size() < 2) {
      return false;
    }
    Turn last = turns.getLast();
    Turn assistant = turns.get(turns.size() - 2);
    return last.role.equals("user") && !last.results.isEmpty() && assistant.hasToolUse && !assistant.startsWithThinking;
  }

  private static JsonNode parse(String json, String path) {
    try {
      return AnthropicWire.JSON.readTree(json);
    } catch (JacksonException e) {
      throw new InvalidRequest(path, path + ": a content part is not valid JSON");
    }
  }

  private static void add(ArrayNode blocks, @Nullable JsonNode block) {
    if (block != null) {
      blocks.add(block);
    }
  }

  /** One Anthropic message being built: tool results, which must come first, then other blocks. */
  private static final class Turn {
    final String role;
    final ArrayNode results = AnthropicWire.JSON.createArrayNode();
    final ArrayNode blocks = AnthropicWire.JSON.createArrayNode();
    boolean startsWithThinking;
    boolean hasToolUse;

    Turn(String role) {
      this.role = role;
    }

    ArrayNode content() {
      if (results.isEmpty()) {
        return blocks;
      }
      ArrayNode all = results.deepCopy();
      all.addAll(blocks);
      return all;
    }
  }
}
