package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.UsageCounts.count;
import static dev.switchboard.provider.UsageCounts.orZero;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.UpstreamException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Gemini {@code GenerateContentResponse} JSON to a canonical {@link ChatResponse}, and the pieces
 * of that format the stream decoder shares: parts, finish reasons, usage and tool-call ids.
 *
 * <p>Each candidate becomes a choice. Its parts are read in order: text parts are joined into the
 * answer (Gemini splits text arbitrarily), {@code thought: true} parts into the reasoning, {@code
 * functionCall} parts into tool calls, {@code inlineData} (image output) into data-URL images.
 * Parts the gateway has no use for (code execution, grounding) are skipped.
 */
final class GeminiResponseDecoder {
  /** Separates a tool-call id from the thought signature carried in it (LiteLLM's separator). */
  static final String SIGNATURE_SEPARATOR = "__thought__";

  private GeminiResponseDecoder() {}

  /**
   * @throws UpstreamException of kind {@code MALFORMED} when the body is not a response, or of the
   *     classified kind when it is an error envelope sent with a 2xx status
   */
  static ChatResponse decode(String body) {
    JsonNode root;
    try {
      root = GeminiAdapter.JSON.readTree(body);
    } catch (JacksonException e) {
      throw GeminiErrors.malformed("upstream response is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw GeminiErrors.malformed("upstream response is not a JSON object");
    }
    if (root.get("error") instanceof JsonNode error && error.isObject()) {
      throw new UpstreamException(GeminiErrors.fromBodyError(error, body));
    }
    var choices = new ArrayList<Choice>();
    JsonNode candidates = root.path("candidates");
    for (int position = 0; position < candidates.size(); position++) {
      choices.add(choice(candidates.get(position), position));
    }
    if (choices.isEmpty()) {
      String block = blockReason(root);
      if (block == null) {
        throw GeminiErrors.malformed("upstream response has neither 'candidates' nor a 'promptFeedback.blockReason'");
      }
      // The prompt itself was refused: no candidate, nothing generated.
      var empty = new Message(Role.ASSISTANT, List.of(), null, List.of(), null, null);
      choices.add(new Choice(0, empty, FinishReason.CONTENT_FILTER, block, null));
    }
    return new ChatResponse(
        text(root, "responseId"), text(root, "modelVersion"), choices, usage(root.get("usageMetadata")), null);
  }

  private static Choice choice(JsonNode candidate, int position) {
    int index = candidate.path("index").asInt(position);
    var content = new ArrayList<ContentPart>();
    var text = new StringBuilder();
    var reasoning = new StringBuilder();
    var calls = new ArrayList<ToolCall>();
    for (Piece piece : pieces(candidate.get("content"))) {
      switch (piece) {
        case Piece.Text(String value) -> text.append(value);
        case Piece.Thought(String value) -> reasoning.append(value);
        case Piece.Call call -> calls.add(call.toToolCall(calls.size()));
        case Piece.Media(String mimeType, String data) -> {
          flush(text, content);
          content.add(new ContentPart.Image("data:" + mimeType + ";base64," + data, null));
        }
      }
    }
    flush(text, content);
    var message =
        new Message(Role.ASSISTANT, content, null, calls, null, reasoning.isEmpty() ? null : reasoning.toString());
    String finish = text(candidate, "finishReason");
    FinishReason reason = finish == null ? null : finishReason(finish, !calls.isEmpty());
    return new Choice(index, message, reason, finish, null);
  }

  private static void flush(StringBuilder text, List<ContentPart> content) {
    if (!text.isEmpty()) {
      content.add(new ContentPart.Text(text.toString()));
      text.setLength(0);
    }
  }

  // ---- shared with the stream decoder -----------------------------------------------------

  /** One part of a candidate's content that the gateway keeps. */
  sealed interface Piece {
    record Text(String text) implements Piece {}

    record Thought(String text) implements Piece {}

    /** A function call; {@code arguments} is the JSON text of {@code args} ({@code {}} when absent). */
    record Call(@Nullable String id, String name, String arguments, @Nullable String signature) implements Piece {
      /** As a canonical call, {@code position} being its place among the candidate's calls. */
      ToolCall toToolCall(int position) {
        return new ToolCall(toolCallId(id, position, signature), name, arguments);
      }
    }

    /** Inline bytes the model produced (an image), base64. */
    record Media(String mimeType, String data) implements Piece {}
  }

  /** The parts of a {@code Content} object that the gateway keeps, in order. */
  static List<Piece> pieces(@Nullable JsonNode content) {
    if (content == null || !content.path("parts").isArray()) {
      return List.of(); // a SAFETY finish comes without content
    }
    var pieces = new ArrayList<Piece>();
    for (JsonNode part : content.get("parts")) {
      if (part.get("functionCall") instanceof JsonNode call && call.isObject()) {
        JsonNode args = call.get("args");
        String arguments = args == null || args.isNull() ? "{}" : args.toString();
        String id = text(call, "id");
        pieces.add(new Piece.Call(id, call.path("name").asText(""), arguments, text(part, "thoughtSignature")));
      } else if (part.get("text") instanceof JsonNode text && text.isTextual()) {
        // An empty text part often only carries a thought signature; it adds nothing to the answer.
        if (!text.asText().isEmpty()) {
          boolean thought = part.path("thought").asBoolean(false);
          pieces.add(thought ? new Piece.Thought(text.asText()) : new Piece.Text(text.asText()));
        }
      } else if (part.get("inlineData") instanceof JsonNode inline && inline.path("data").isTextual()) {
        String mimeType = inline.path("mimeType").asText("application/octet-stream");
        pieces.add(new Piece.Media(mimeType, inline.get("data").asText()));
      }
    }
    return pieces;
  }

  /**
   * The canonical id of a call: Gemini's own id, else {@code call_<position>}; with the part's
   * thought signature appended after {@link #SIGNATURE_SEPARATOR}, in URL-safe base64 without
   * padding, so the id can carry it back on the next turn and still matches {@code [A-Za-z0-9_-]+}.
   */
  static String toolCallId(@Nullable String geminiId, int position, @Nullable String signature) {
    String base = geminiId == null || geminiId.isEmpty() ? "call_" + position : geminiId;
    if (signature == null || signature.isEmpty()) {
      return base;
    }
    String urlSafe = signature.replace('+', '-').replace('/', '_');
    int end = urlSafe.length();
    while (end > 0 && urlSafe.charAt(end - 1) == '=') {
      end--;
    }
    return base + SIGNATURE_SEPARATOR + urlSafe.substring(0, end);
  }

  /**
   * The inverse of {@link #toolCallId}: the thought signature carried in a tool-call id, as
   * standard base64 (as Gemini sent it); null when the id carries none.
   */
  static @Nullable String signature(String toolCallId) {
    int at = toolCallId.indexOf(SIGNATURE_SEPARATOR);
    if (at < 0 || at + SIGNATURE_SEPARATOR.length() == toolCallId.length()) {
      return null;
    }
    String signature =
        toolCallId.substring(at + SIGNATURE_SEPARATOR.length()).replace('-', '+').replace('_', '/');
    return signature + "=".repeat((4 - signature.length() % 4) % 4);
  }

  /**
   * Maps a candidate's {@code finishReason}. {@code STOP} means tool calls when the answer made
   * some: Gemini has no separate reason for them.
   */
  static FinishReason finishReason(String reason, boolean calledTools) {
    return switch (reason) {
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "MODEL_ARMOR" -> FinishReason.CONTENT_FILTER;
      // The model failed to produce a usable answer (a broken call, an unsupported language, or
      // a reason Google does not name): an error, not a normal stop, so clients do not trust it.
      case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS", "MISSING_THOUGHT_SIGNATURE",
          "MALFORMED_RESPONSE", "LANGUAGE", "OTHER", "IMAGE_OTHER", "NO_IMAGE" -> FinishReason.ERROR;
      // STOP, FINISH_REASON_UNSPECIFIED, and values added after this was written.
      default -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    };
  }

  /** {@code promptFeedback.blockReason}: the prompt was refused before any generation. */
  static @Nullable String blockReason(JsonNode response) {
    String reason = text(response.path("promptFeedback"), "blockReason");
    return reason == null || reason.isEmpty() ? null : reason;
  }

  /**
   * Reads {@code usageMetadata}; null when absent. Completion includes thoughts (OpenAI's
   * convention: reasoning is completion); prompt includes tool-use prompt tokens, which Gemini
   * counts in {@code totalTokenCount} and bills as input. Absent sub-counts stay null.
   */
  static @Nullable Usage usage(@Nullable JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    Long thoughts = count(node.get("thoughtsTokenCount"));
    long prompt = orZero(count(node.get("promptTokenCount"))) + orZero(count(node.get("toolUsePromptTokenCount")));
    long completion = orZero(count(node.get("candidatesTokenCount"))) + orZero(thoughts);
    return new Usage(prompt, completion, count(node.get("cachedContentTokenCount")), null, thoughts, false);
  }

  static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
