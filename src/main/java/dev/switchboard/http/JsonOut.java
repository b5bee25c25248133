package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Writing the management APIs' JSON: USD amounts as plain numbers, nulls written out. */
final class JsonOut {
  private JsonOut() {}

  /** Writes one JSON document. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] write(JsonFactory json, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = json.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A USD amount as a plain JSON number: no exponent, no trailing zeros; null as null. */
  static void usd(JsonGenerator g, String name, @Nullable BigDecimal amount) throws IOException {
    g.writeFieldName(name);
    if (amount == null) {
      g.writeNull();
    } else {
      g.writeNumber(amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString());
    }
  }

  static void string(JsonGenerator g, String name, @Nullable String value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, value);
    }
  }

  static void instant(JsonGenerator g, String name, @Nullable Instant value) throws IOException {
    string(g, name, value == null ? null : value.toString());
  }
}
