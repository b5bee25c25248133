package dev.switchboard.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.mock.MockPrompt.Tool;
import dev.switchboard.mock.MockPrompt.ToolMode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bedrock's checks of single content blocks and of the tool configuration, for {@link
 * BedrockMockRequests}: one known member per block, text not blank, image and document formats,
 * document names, media as valid base64 {@code source.bytes}; tool names, object input schemas, and
 * a {@code toolChoice} that names a declared tool and forces one only on models that allow it. Each
 * failure is an {@link IllegalArgumentException} with Bedrock's message.
 */
final class BedrockMockBlocks {
  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");
  private static final Set<String> DOCUMENT_FORMATS =
      Set.of("pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md");
  private static final Pattern DOCUMENT_NAME =
      Pattern.compile("[A-Za-z0-9()\\[\\]-]+( [A-Za-z0-9()\\[\\]-]+)*");

  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final String MODEL_SAYS = "The model returned the following errors: ";

  private BedrockMockBlocks() {}

  /** The one member of a content block, which must be one of {@code allowed}. */
  static String member(JsonNode block, String at, Set<String> allowed, String role) {
    if (!block.isObject() || block.size() != 1) {
      throw new IllegalArgumentException(
          "The ContentBlock object at " + at + " must set exactly one field.");
    }
    String name = block.fieldNames().next();
    if (!allowed.contains(name)) {
      throw new IllegalArgumentException(
          "The ContentBlock object at "
              + at
              + " holds '"
              + name
              + "', which a"
              + (role.equals("user") ? " user" : "n assistant")
              + " message cannot contain.");
    }
    return name;
  }

  static String nonBlank(JsonNode text, String object, String at) {
    if (!text.isTextual() || text.textValue().isBlank()) {
      throw new IllegalArgumentException(
          "The text field in the "
              + object
              + " object at "
              + at
              + " is blank. Add text to the text field, and try again.");
    }
    return text.textValue();
  }

  static String toolResultText(JsonNode content, String at) {
    List<String> texts = new ArrayList<>();
    for (int k = 0; k < content.size(); k++) {
      JsonNode part = content.get(k);
      String where = at + ".toolResult.content." + k;
      if (part.has("text")) {
        texts.add(part.path("text").asText());
      } else if (part.has("json")) {
        texts.add(part.get("json").toString());
      } else if (part.has("image")) {
        image(part.path("image"), where + ".image");
      } else if (part.has("document")) {
        document(part.path("document"), where + ".document");
      }
    }
    return String.join("\n", texts);
  }

  static void image(JsonNode image, String at) {
    String format = image.path("format").asText();
    if (!IMAGE_FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "1 validation error detected: Value '"
              + format
              + "' at '"
              + at
              + ".format' failed to satisfy constraint: Member must satisfy enum value set: [gif,"
              + " jpeg, png, webp]");
    }
    source(image.path("source"), at);
  }

  static void document(JsonNode document, String at) {
    String format = document.path("format").asText();
    if (!DOCUMENT_FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "1 validation error detected: Value '"
              + format
              + "' at '"
              + at
              + ".format' failed to satisfy constraint: Member must satisfy enum value set: "
              + "[pdf, csv, doc, docx, xls, xlsx, html, txt, md]");
    }
    if (!DOCUMENT_NAME.matcher(document.path("name").asText()).matches()) {
      throw new IllegalArgumentException(
          "The document file name can only contain alphanumeric characters, whitespace characters,"
              + " hyphens, parentheses, and square brackets. The name can't contain more than one"
              + " consecutive whitespace character.");
    }
    if (!document.path("source").has("text")) {
      source(document.path("source"), at);
    }
  }

  private static void source(JsonNode source, String at) {
    if (source.has("s3Location")) {
      return;
    }
    JsonNode bytes = source.path("bytes");
    try {
      if (bytes.isTextual() && Base64.getDecoder().decode(bytes.textValue()).length > 0) {
        return;
      }
    } catch (IllegalArgumentException notBase64) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Invalid input: " + at + ".source.bytes must be base64-encoded bytes.");
  }

  static List<Tool> tools(JsonNode toolConfig) {
    if (!toolConfig.isObject()) {
      return List.of();
    }
    JsonNode tools = toolConfig.path("tools");
    if (!tools.isArray() || tools.isEmpty()) {
      throw new IllegalArgumentException(
          "1 validation error detected: Value at 'toolConfig.tools' failed to"
              + " satisfy constraint: Member must have length greater than or equal to 1");
    }
    List<Tool> result = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int t = 0; t < tools.size(); t++) {
      JsonNode spec = tools.get(t).path("toolSpec");
      if (!spec.isObject()) {
        continue; // a cachePoint
      }
      String name = spec.path("name").asText();
      if (!TOOL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "1 validation error detected: Value '"
                + name
                + "' at 'toolConfig.tools."
                + (t + 1)
                + ".member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular"
                + " expression pattern: [a-zA-Z0-9_-]+");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException(MODEL_SAYS + "tools: Tool names must be unique.");
      }
      JsonNode schema = spec.path("inputSchema").path("json");
      if (!schema.isObject() || !schema.path("type").asText().equals("object")) {
        throw new IllegalArgumentException(
            MODEL_SAYS + "tools." + t + ".custom.input_schema.type: Input should be 'object'");
      }
      result.add(new Tool(name, schema));
    }
    return result;
  }

  static ToolMode toolMode(JsonNode choice, List<Tool> tools, String modelId) {
    if (choice.isMissingNode()) {
      return new ToolMode.Any();
    }
    if (!choice.isObject() || choice.size() != 1) {
      throw new IllegalArgumentException(
          "toolConfig.toolChoice must set exactly one of auto, any and tool.");
    }
    String kind = choice.fieldNames().next();
    if ((kind.equals("any") || kind.equals("tool")) && !forcesTools(modelId)) {
      throw new IllegalArgumentException(
          "This model doesn't support the toolConfig.toolChoice."
              + kind
              + " field. Remove toolConfig.toolChoice."
              + kind
              + " and try again.");
    }
    return switch (kind) {
      case "auto", "any" -> new ToolMode.Any();
      case "tool" -> {
        String name = choice.path("tool").path("name").asText();
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
          throw new IllegalArgumentException(
              MODEL_SAYS + "tool_choice.name: Tool '" + name + "' not found in tools");
        }
        yield new ToolMode.Named(name);
      }
      default ->
          throw new IllegalArgumentException(
              "toolConfig.toolChoice must set exactly one of auto, any and tool.");
    };
  }

  /**
   * The models Bedrock lets force a tool
   * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolChoice.html).
   */
  private static boolean forcesTools(String modelId) {
    return modelId.contains("anthropic.")
        || modelId.contains("mistral.mistral-large")
        || modelId.contains("amazon.nova");
  }
}
