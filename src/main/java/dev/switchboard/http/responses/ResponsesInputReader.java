package dev.switchboard.http.responses;

import static dev.switchboard.http.openai.JsonFields.array;
import static dev.switchboard.http.openai.JsonFields.invalid;
import static dev.switchboard.http.openai.JsonFields.object;
import static dev.switchboard.http.openai.JsonFields.requireString;
import static dev.switchboard.http.openai.JsonFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Responses {@code input} (a string, or an array of items) into canonical messages.
 *
 * <p>A Responses answer is one assistant turn spread over several items (reasoning, message,
 * function calls), so assistant-side items that follow each other are gathered into one assistant
 * {@link Message}, the way a chat transcript holds them; any other item ends the turn.
 */
final class ResponsesInputReader {
  private static final String ITEM_TYPES = "message, function_call, function_call_output and reasoning";

  List<Message> read(@Nullable JsonNode input) {
    if (input == null || input.isNull()) {
      throw new InvalidRequest("input", "input is required: a string, or an array of input items; this gateway"
          + " keeps no conversations, so send the whole conversation in `input`");
    }
    if (input.isTextual()) {
      return List.of(Message.text(Role.USER, input.textValue()));
    }
    if (!input.isArray()) {
      throw invalid("", "input", "must be a string or an array of input items", input);
    }
    if (input.isEmpty()) {
      throw new InvalidRequest("input", "input must contain at least one item");
    }
    List<Message> messages = new ArrayList<>();
    AssistantTurn assistant = new AssistantTurn();
    for (int i = 0; i < input.size(); i++) {
      String path = "input[" + i + "]";
      JsonNode item = input.get(i);
      if (!item.isObject()) {
        throw invalid("", path, "must be an object", item);
      }
      String type = string(item, "type", path);
      switch (type == null ? "message" : type) {
        case "message" -> message(item, path, messages, assistant);
        case "function_call" -> {
          String arguments = string(item, "arguments", path);
          assistant.calls.add(new ToolCall(requireString(item, "call_id", path), requireString(item, "name", path),
              arguments == null ? "" : arguments));
        }
        case "function_call_output" -> {
          assistant.flushInto(messages);
          messages.add(new Message(Role.TOOL, toolOutput(item, path), null, List.of(),
              requireString(item, "call_id", path), null));
        }
        case "reasoning" -> assistant.addReasoning(reasoning(item, path));
        case "item_reference" -> throw new InvalidRequest(path + ".type",
            ResponsesRequestReader.STATELESS + " (" + path + " refers to a stored item)");
        default -> throw new InvalidRequest(path + ".type", path + ".type '" + type
            + "' is not supported: this gateway accepts " + ITEM_TYPES + " items");
      }
    }
    assistant.flushInto(messages);
    if (messages.isEmpty()) {
      throw new InvalidRequest("input", "input must contain at least one message or function_call_output item");
    }
    return messages;
  }

  private static void message(JsonNode item, String path, List<Message> messages, AssistantTurn assistant) {
    String roleName = requireString(item, "role", path);
    Role role = Role.fromWire(roleName).filter(r -> r != Role.TOOL).orElseThrow(() -> new InvalidRequest(
        path + ".role", path + ".role must be one of user, assistant, system, developer; got '" + roleName + "'"));
    JsonNode content = item.get("content");
    List<ContentPart> parts;
    if (content == null || content.isNull()) {
      throw new InvalidRequest(path + ".content", path + ".content is required");
    } else if (content.isTextual()) {
      parts = List.of(new ContentPart.Text(content.textValue()));
    } else if (content.isArray()) {
      parts = parts(content, path + ".content");
    } else {
      throw invalid(path, "content", "must be a string or an array of content parts", content);
    }
    if (role == Role.ASSISTANT) {
      assistant.parts.addAll(parts);
    } else {
      assistant.flushInto(messages);
      messages.add(new Message(role, parts, null, List.of(), null, null));
    }
  }

  private static List<ContentPart> toolOutput(JsonNode item, String path) {
    JsonNode output = item.get("output");
    if (output == null || output.isNull()) {
      throw new InvalidRequest(path + ".output", path + ".output is required");
    }
    if (output.isTextual()) {
      return List.of(new ContentPart.Text(output.textValue()));
    }
    if (output.isArray()) {
      return parts(output, path + ".output");
    }
    throw invalid(path, "output", "must be a string or an array of content parts", output);
  }

  /** The reasoning text of a {@code reasoning} item: its content texts, else its summary texts. */
  private static @Nullable String reasoning(JsonNode item, String path) {
    String text = texts(array(item, "content", path), path + ".content");
    return text != null ? text : texts(array(item, "summary", path), path + ".summary");
  }

  private static @Nullable String texts(@Nullable JsonNode parts, String path) {
    if (parts == null || parts.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      JsonNode part = parts.get(i);
      if (!part.isObject()) {
        throw invalid("", path + "[" + i + "]", "must be an object with a type and text", part);
      }
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      text.append(requireString(part, "text", path + "[" + i + "]"));
    }
    return text.toString();
  }

  private static List<ContentPart> parts(JsonNode array, String path) {
    List<ContentPart> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String partPath = path + "[" + i + "]";
      JsonNode part = array.get(i);
      if (!part.isObject()) {
        throw invalid("", partPath, "must be an object with a type", part);
      }
      String type = requireString(part, "type", partPath);
      result.add(switch (type) {
        case "input_text", "output_text" -> new ContentPart.Text(requireString(part, "text", partPath));
        // A refusal in an assistant turn of the history is still what the assistant said.
        case "refusal" -> new ContentPart.Text(requireString(part, "refusal", partPath));
        case "input_image" -> image(part, partPath);
        case "input_file" -> file(part, partPath);
        case "input_audio" -> {
          JsonNode audio = object(part, "input_audio", partPath);
          if (audio == null) {
            throw new InvalidRequest(partPath + ".input_audio", partPath + ".input_audio is required");
          }
          yield new ContentPart.InputAudio(requireString(audio, "data", partPath + ".input_audio"),
              requireString(audio, "format", partPath + ".input_audio"));
        }
        default -> throw new InvalidRequest(partPath + ".type", partPath + ".type '" + type + "' is not supported:"
            + " use input_text, output_text, input_image, input_file or input_audio");
      });
    }
    return result;
  }

  private static ContentPart image(JsonNode part, String path) {
    String url = string(part, "image_url", path);
    if (url != null) {
      if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("data:")) {
        throw new InvalidRequest(path + ".image_url",
            path + ".image_url must be an http(s) URL or a data: URL with base64 image bytes");
      }
      return new ContentPart.Image(url, string(part, "detail", path));
    }
    String fileId = string(part, "file_id", path);
    if (fileId == null) {
      throw new InvalidRequest(path, path + " needs image_url (an http(s) or data: URL) or file_id");
    }
    // The canonical image is a URL; an uploaded image is a provider file, like an uploaded PDF.
    return new ContentPart.File(null, null, fileId);
  }

  private static ContentPart file(JsonNode part, String path) {
    if (string(part, "file_url", path) != null) {
      throw new InvalidRequest(path + ".file_url",
          path + ".file_url is not supported: send the file inline as file_data (a data: URL) with a filename");
    }
    String data = string(part, "file_data", path);
    String id = string(part, "file_id", path);
    if (data == null && id == null) {
      throw new InvalidRequest(path, path + " needs file_data (a data: URL) or file_id");
    }
    return new ContentPart.File(string(part, "filename", path), data, id);
  }

  /** The assistant-side items read since the last other item, written out as one turn. */
  private static final class AssistantTurn {
    final List<ContentPart> parts = new ArrayList<>();
    final List<ToolCall> calls = new ArrayList<>();
    @Nullable StringBuilder reasoning;

    void addReasoning(@Nullable String text) {
      if (text == null) {
        return;
      }
      if (reasoning == null) {
        reasoning = new StringBuilder(text);
      } else {
        reasoning.append("\n\n").append(text);
      }
    }

    void flushInto(List<Message> messages) {
      // Reasoning with neither text nor calls after it answered nothing; an assistant turn with no
      // content is refused by chat upstreams, so such a turn is dropped.
      if (parts.isEmpty() && calls.isEmpty()) {
        reasoning = null;
        return;
      }
      messages.add(new Message(Role.ASSISTANT, parts, null, calls,
          null, reasoning == null ? null : reasoning.toString()));
      parts.clear();
      calls.clear();
      reasoning = null;
    }
  }
}
