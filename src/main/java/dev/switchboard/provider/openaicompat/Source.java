package dev.switchboard.provider.openaicompat;

import com.fasterxml.jackson.core.JsonParser;
import dev.switchboard.core.RawJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What a body or a stream chunk was parsed from, so decoders can cut values from it verbatim and quote
 * it in errors. Bodies arrive as UTF-8 bytes and are parsed as such (Jackson's byte parser is the
 * faster one); the text form is the fallback for bytes that are not valid UTF-8.
 */
sealed interface Source {
  /** The whole source as text, for error messages. */
  String text();

  /** {@link OpenAiWire#rawValue(JsonParser, String)} over this source. */
  RawJson rawValue(JsonParser json) throws IOException;

  static Source of(byte[] utf8) {
    return new Utf8(utf8);
  }

  static Source of(String text) {
    return new Text(text);
  }

  record Utf8(byte[] bytes) implements Source {
    @Override
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public RawJson rawValue(JsonParser json) throws IOException {
      return OpenAiWire.rawValue(json, bytes);
    }
  }

  record Text(String text) implements Source {
    @Override
    public RawJson rawValue(JsonParser json) throws IOException {
      return OpenAiWire.rawValue(json, text);
    }
  }
}
