package dev.switchboard.provider.bedrock;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The content blocks of user and tool turns: text, {@code image} and {@code document} (both with
 * {@code source.bytes}), {@code toolResult}, and the {@code toolUse.input} of a call. Split from {@link BedrockRequestEncoder}, which
 * shapes the request around them, to keep each file to one concern.
 *
 * <p>Media travel as bytes (base64 in the JSON), so only {@code data:} URLs can be sent: an
 * http(s) image URL, a file id, audio (which Converse does not take) and part types the gateway
 * does not model are each a 400 that names the part, rather than a silently different prompt.
 */
final class BedrockContentBlocks {
  private static final Set<String> DOCUMENT_FORMATS = Set.of("pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md");

  private BedrockContentBlocks() {}

  /** One part of a user (or tool) turn; a blank text part writes nothing ({@link BedrockRequestEncoder}). */
  static void writeUserPart(JsonGenerator json, ContentPart part, String param) throws IOException {
    switch (part) {
      case ContentPart.Text(String text) -> {
        if (!text.isBlank()) {
          json.writeStartObject();
          json.writeStringField("text", text);
          json.writeEndObject();
        }
      }
      case ContentPart.Image(String url, String detail) -> writeImage(json, DataUrl.parse(url, param + ".image_url.url"));
      case ContentPart.File(String filename, String fileData, String fileId) -> {
        if (fileData == null) {
          throw new GatewayException.InvalidRequest(param + ".file.file_id",
              "Bedrock cannot read uploaded file ids; send the file inline as file_data (a base64 data: URL)");
        }
        DataUrl data = DataUrl.parse(fileData, param + ".file.file_data");
        if (data.mediaType().startsWith("image/")) {
          writeImage(json, data);
        } else {
          writeDocument(json, data, filename);
        }
      }
      case ContentPart.InputAudio audio ->
          throw new GatewayException.InvalidRequest(param, "Bedrock's Converse API does not take audio input");
      case ContentPart.Unknown(String type, RawJson raw) ->
          throw new GatewayException.InvalidRequest(param, "content part type '" + type + "' cannot be sent to Bedrock");
    }
  }

  /**
   * A tool turn as a {@code toolResult} block, its content the turn's parts. An empty result is an
   * empty list: Bedrock accepts that inside a {@code toolResult}, where a blank text block in a
   * turn's own content is a 400.
   */
  static void writeToolResult(JsonGenerator json, Message message, int position) throws IOException {
    if (message.toolCallId() == null) {
      throw new GatewayException.InvalidRequest(
          "messages[" + position + "].tool_call_id", "a tool message must name the tool call it answers");
    }
    json.writeStartObject();
    json.writeObjectFieldStart("toolResult");
    json.writeStringField("toolUseId", BedrockAdapter.toolUseId(message.toolCallId()));
    json.writeArrayFieldStart("content");
    for (int p = 0; p < message.content().size(); p++) {
      writeUserPart(json, message.content().get(p), "messages[" + position + "].content[" + p + "]");
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
  }

  /**
   * A tool call's arguments as {@code toolUse.input}, a JSON value rather than OpenAI's string:
   * empty arguments are {@code {}}; anything but a JSON object is a 400.
   */
  static String toolUseInput(String arguments, String param) {
    if (arguments.isBlank()) {
      return "{}";
    }
    try {
      JsonNode parsed = BedrockAdapter.JSON.readTree(arguments);
      if (parsed != null && parsed.isObject()) {
        return arguments.strip();
      }
    } catch (JacksonException notJson) {
      // reported below
    }
    throw new GatewayException.InvalidRequest(
        param, "tool-call arguments must be a JSON object for Bedrock, which takes them as a value, not as text");
  }

  private static void writeImage(JsonGenerator json, DataUrl data) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("image");
    json.writeStringField("format", data.imageFormat());
    writeSource(json, data);
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void writeDocument(JsonGenerator json, DataUrl data, @Nullable String filename) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("document");
    json.writeStringField("format", data.documentFormat(filename));
    json.writeStringField("name", documentName(filename));
    writeSource(json, data);
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void writeSource(JsonGenerator json, DataUrl data) throws IOException {
    json.writeObjectFieldStart("source");
    // The base64 text goes as it is: the JSON form of Converse's blob is base64 already.
    json.writeStringField("bytes", data.base64());
    json.writeEndObject();
  }

  /**
   * Bedrock allows only letters, digits, single spaces, hyphens, parentheses and square brackets
   * in a document name ("name ... can only contain the following characters"), so the extension
   * goes and every other run of characters becomes one space.
   */
  static String documentName(@Nullable String filename) {
    if (filename == null) {
      return "document";
    }
    int dot = filename.lastIndexOf('.');
    String base = dot > 0 ? filename.substring(0, dot) : filename;
    String name = base.replaceAll("[^A-Za-z0-9\\-()\\[\\]]+", " ").strip();
    return name.isEmpty() ? "document" : name;
  }

  /** A {@code data:<media type>;base64,<data>} URL. */
  record DataUrl(String mediaType, String base64, String param) {
    static DataUrl parse(String url, String param) {
      if (!url.regionMatches(true, 0, "data:", 0, 5)) {
        String shown = url.length() > 40 ? url.substring(0, 40) + "…" : url;
        throw new GatewayException.InvalidRequest(
            param, "Bedrock needs media as bytes: send a base64 data: URL, not a link (" + shown + ")");
      }
      int comma = url.indexOf(',');
      String meta = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
      if (!meta.endsWith(";base64")) {
        throw new GatewayException.InvalidRequest(param, "a data: URL for Bedrock must be base64-encoded");
      }
      String type = meta.substring(0, meta.length() - ";base64".length());
      int semicolon = type.indexOf(';'); // parameters such as charset
      return new DataUrl(semicolon < 0 ? type : type.substring(0, semicolon), url.substring(comma + 1).strip(), param);
    }

    String imageFormat() {
      return switch (mediaType) {
        case "image/png" -> "png";
        case "image/jpeg", "image/jpg" -> "jpeg";
        case "image/gif" -> "gif";
        case "image/webp" -> "webp";
        default -> throw new GatewayException.InvalidRequest(
            param, "Bedrock takes png, jpeg, gif and webp images, not " + mediaType);
      };
    }

    /** Bedrock's document format, from the media type or else the file name's extension. */
    String documentFormat(@Nullable String filename) {
      String format = switch (mediaType) {
        case "application/pdf" -> "pdf";
        case "text/csv" -> "csv";
        case "application/msword" -> "doc";
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> "docx";
        case "application/vnd.ms-excel" -> "xls";
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" -> "xlsx";
        case "text/html" -> "html";
        case "text/plain" -> "txt";
        case "text/markdown" -> "md";
        default -> null;
      };
      if (format == null && filename != null && filename.lastIndexOf('.') > 0) {
        String extension = filename.substring(filename.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        format = DOCUMENT_FORMATS.contains(extension) ? extension : null;
      }
      if (format == null) {
        throw new GatewayException.InvalidRequest(
            param, "Bedrock takes pdf, csv, doc, docx, xls, xlsx, html, txt and md documents, not " + mediaType);
      }
      return format;
    }
  }
}
