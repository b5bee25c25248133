package dev.switchboard.provider;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.UpstreamError;
import java.io.IOException;

/**
 * Reads a successful response body that must be one JSON object with Jackson's streaming parser,
 * so a decoder can cut verbatim values out of the body's own text. Whatever stops the body from
 * being read (not JSON, not an object, cut short) is the provider's fault: {@code MALFORMED}.
 */
public final class JsonBodies {
  private JsonBodies() {}

  /** Reads the fields of a JSON object; the parser is on the object's start when it is called. */
  @FunctionalInterface
  public interface ObjectReader<T> {
    T read(JsonParser json) throws IOException;
  }

  /**
   * Parses {@code body} with {@code mapper} (so trees can be read from the parser) and hands the
   * parser, on the object's first token, to {@code reader}.
   *
   * @throws UpstreamException of kind {@code MALFORMED} when the body is not a JSON object, and
   *     whatever {@code reader} throws
   */
  public static <T> T readObject(ObjectMapper mapper, String body, ObjectReader<T> reader) {
    try (JsonParser json = mapper.createParser(body)) {
      return readObject(json, reader);
    } catch (IOException e) {
      throw malformed("upstream response could not be read: " + e.getMessage());
    }
  }

  /**
   * {@link #readObject(ObjectMapper, String, ObjectReader)} over the body's UTF-8 bytes; bytes that are not
   * UTF-8 are {@code MALFORMED} here, so a lenient caller retries with the text (replacement characters).
   */
  public static <T> T readObject(ObjectMapper mapper, byte[] body, ObjectReader<T> reader) {
    try (JsonParser json = mapper.createParser(body)) {
      return readObject(json, reader);
    } catch (IOException e) {
      throw malformed("upstream response could not be read: " + e.getMessage());
    }
  }

  private static <T> T readObject(JsonParser json, ObjectReader<T> reader) throws IOException {
    try {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("upstream response is not a JSON object");
      }
      return reader.read(json);
    } catch (JacksonException e) {
      throw malformed("upstream response is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static UpstreamException malformed(String message) {
    return new UpstreamException(UpstreamError.of(UpstreamError.Kind.MALFORMED, 200, message));
  }
}
