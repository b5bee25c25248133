package dev.switchboard.http.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.GatewayException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Anthropic's error body, {@code {"type":"error","error":{"type":…,"message":…}}}
 * (https://docs.anthropic.com/en/api/errors), for responses and for the stream's {@code error}
 * event alike. The HTTP status stays the gateway's; the {@code type} is Anthropic's name for it.
 */
final class AnthropicErrorEnvelope {
  private AnthropicErrorEnvelope() {}

  static byte[] json(JsonFactory json, GatewayException error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    write(json, out, error);
    return out.toByteArray();
  }

  static void write(JsonFactory json, ByteArrayOutputStream out, GatewayException error) {
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "error");
      g.writeObjectFieldStart("error");
      g.writeStringField("type", type(error));
      g.writeStringField("message", error.getMessage());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Anthropic's error type for an error: by its status, except that an upstream failure (502)
   * because the upstream was overloaded (its 503 or 529, in the metadata) is {@code
   * overloaded_error}, so a client backs off as it would from Anthropic's own overload.
   */
  static String type(GatewayException error) {
    Object upstream = error.metadata().get("upstream_status");
    if (error.status() == 502 && upstream instanceof Integer status && (status == 503 || status == 529)) {
      return "overloaded_error";
    }
    return type(error.status());
  }

  /**
   * Anthropic's error type for a status. A 503 (no endpoint could take the request) is {@code
   * overloaded_error}, as Anthropic's own 529, so clients back off and retry alike.
   */
  static String type(int status) {
    return switch (status) {
      case 400, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 408, 504 -> "timeout_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
