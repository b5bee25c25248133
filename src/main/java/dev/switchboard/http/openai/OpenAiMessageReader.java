package dev.switchboard.http.openai;

import static dev.switchboard.http.openai.JsonFields.array;
import static dev.switchboard.http.openai.JsonFields.invalid;
import static dev.switchboard.http.openai.JsonFields.object;
import static dev.switchboard.http.openai.JsonFields.requireString;
import static dev.switchboard.http.openai.JsonFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code messages} array of an OpenAI chat request. */
final class OpenAiMessageReader {
  private final ObjectMapper json;

  OpenAiMessageReader(ObjectMapper json) {
    this.json = json;
  }

  List<Message> readAll(JsonNode array) {
    List<Message> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      result.add(read(array.get(i), "messages[" + i + "]"));
    }
    return result;
  }

  private Message read(JsonNode node, String path) {
    if (!node.isObject()) {
      throw invalid("", path, "must be an object with a role and content", node);
    }
    String roleName = requireString(node, "role", path);
    Role role = Role.fromWire(roleName).orElseThrow(() -> new InvalidRequest(path + ".role",
        path + ".role must be one of system, developer, user, assistant, tool; got '" + roleName + "'"));
    List<ToolCall> toolCalls = role == Role.ASSISTANT ? toolCalls(node, path) : List.of();
    JsonNode content = node.get("content");
    List<ContentPart> parts;
    if (content == null || content.isNull()) {
      if (role != Role.ASSISTANT) {
        throw new InvalidRequest(path + ".content", path + ".content is required for a " + roleName + " message");
      }
      parts = List.of();
    } else if (content.isTextual()) {
      parts = List.of(new ContentPart.Text(content.textValue()));
    } else if (content.isArray()) {
      parts = parts(content, path + ".content");
    } else {
      throw invalid(path, "content", "must be a string or an array of content parts", content);
    }
    String toolCallId = string(node, "tool_call_id", path);
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isEmpty())) {
      throw new InvalidRequest(path + ".tool_call_id",
          path + ".tool_call_id is required: a tool message answers the assistant's tool call with that id");
    }
    String reasoning = role == Role.ASSISTANT ? string(node, "reasoning", path) : null;
    if (role == Role.ASSISTANT) {
      parts = withReasoningDetails(node, path, parts);
    }
    return new Message(role, parts, string(node, "name", path), toolCalls, toolCallId, reasoning);
  }

  /**
   * An assistant turn's {@code reasoning_details}, as the reasoning blocks an adapter sends back
   * (see {@link ReasoningDetailsJson}), ahead of the turn's other parts. Details that cannot be sent
   * back are dropped, not refused: clients echo every detail they were given, whatever the model.
   */
  private static List<ContentPart> withReasoningDetails(JsonNode message, String path, List<ContentPart> parts) {
    JsonNode details = array(message, "reasoning_details", path);
    if (details == null || details.isEmpty()) {
      return parts;
    }
    List<ContentPart> result = new ArrayList<>(details.size() + parts.size());
    for (JsonNode detail : details) {
      ContentPart.Unknown block = ReasoningDetailsJson.part(detail);
      if (block != null) {
        result.add(block);
      }
    }
    result.addAll(parts);
    return result;
  }

  private static List<ToolCall> toolCalls(JsonNode message, String path) {
    JsonNode calls = array(message, "tool_calls", path);
    if (calls == null) {
      return List.of();
    }
    List<ToolCall> result = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      String callPath = path + ".tool_calls[" + i + "]";
      JsonNode call = calls.get(i);
      if (!call.isObject()) {
        throw invalid("", callPath, "must be an object", call);
      }
      JsonNode function = object(call, "function", callPath);
      if (function == null) {
        throw new InvalidRequest(callPath + ".function", callPath + ".function is required");
      }
      String arguments = string(function, "arguments", callPath + ".function");
      result.add(new ToolCall(requireString(call, "id", callPath),
          requireString(function, "name", callPath + ".function"), arguments == null ? "" : arguments));
    }
    return result;
  }

  private List<ContentPart> parts(JsonNode array, String path) {
    List<ContentPart> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String partPath = path + "[" + i + "]";
      JsonNode part = array.get(i);
      if (!part.isObject()) {
        throw invalid("", partPath, "must be an object with a type", part);
      }
      String type = requireString(part, "type", partPath);
      result.add(switch (type) {
        case "text", "input_text" -> new ContentPart.Text(requireString(part, "text", partPath));
        case "image_url" -> image(part, partPath);
        case "input_audio" -> {
          JsonNode audio = object(part, "input_audio", partPath);
          if (audio == null) {
            throw new InvalidRequest(partPath + ".input_audio", partPath + ".input_audio is required");
          }
          yield new ContentPart.InputAudio(requireString(audio, "data", partPath + ".input_audio"),
              requireString(audio, "format", partPath + ".input_audio"));
        }
        case "file" -> {
          JsonNode file = object(part, "file", partPath);
          if (file == null) {
            throw new InvalidRequest(partPath + ".file", partPath + ".file is required");
          }
          String fp = partPath + ".file";
          String data = string(file, "file_data", fp);
          String id = string(file, "file_id", fp);
          if (data == null && id == null) {
            throw new InvalidRequest(fp, fp + " needs file_data (a data: URL) or file_id");
          }
          yield new ContentPart.File(string(file, "filename", fp), data, id);
        }
        default -> new ContentPart.Unknown(type, new RawJson(part.toString()));
      });
    }
    return result;
  }

  private static ContentPart.Image image(JsonNode part, String path) {
    JsonNode image = part.get("image_url");
    if (image != null && image.isTextual()) {
      // The string shorthand some clients send is held to the same rule as the object form.
      return new ContentPart.Image(requireImageUrl(image.textValue(), path), null);
    }
    if (image == null || !image.isObject()) {
      throw new InvalidRequest(path + ".image_url", path + ".image_url must be an object with a url");
    }
    String url = requireImageUrl(requireString(image, "url", path + ".image_url"), path);
    return new ContentPart.Image(url, string(image, "detail", path + ".image_url"));
  }

  private static String requireImageUrl(String url, String path) {
    if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("data:")) {
      throw new InvalidRequest(path + ".image_url.url",
          path + ".image_url.url must be an http(s) URL or a data: URL with base64 image bytes");
    }
    return url;
  }
}
