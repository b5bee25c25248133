package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.GatewayException;
import dev.switchboard.http.openai.ErrorTypes;
import dev.switchboard.http.openai.MetadataJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error body every API returns: OpenRouter's {@code {"error":{"code","message","metadata"}}}
 * plus OpenAI's {@code type} and {@code param}, so both families of SDK read it. {@code
 * metadata.error_type} always carries OpenRouter's canonical error type.
 */
public final class ErrorEnvelope {
  private ErrorEnvelope() {}

  public static byte[] json(JsonFactory json, GatewayException error) {
    return json(json, error.status(), error.getMessage(), error.metadata());
  }

  public static byte[] json(JsonFactory json, int status, String message, Map<String, Object> metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", status);
      g.writeStringField("message", message);
      g.writeStringField("type", type(status));
      Object param = metadata.get("param");
      if (param != null) {
        g.writeStringField("param", param.toString());
      }
      // OpenRouter types every error with its canonical error_type; clients switch on it.
      Map<String, Object> typed = new LinkedHashMap<>();
      typed.put("error_type", ErrorTypes.of(status));
      typed.putAll(metadata);
      g.writeFieldName("metadata");
      MetadataJson.write(g, typed);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** OpenAI's error {@code type} for a status. */
  static String type(int status) {
    return switch (status) {
      case 400, 404, 413 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "insufficient_quota";
      case 403 -> "permission_error";
      case 408 -> "timeout_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
