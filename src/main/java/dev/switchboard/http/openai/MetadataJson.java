package dev.switchboard.http.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes an error's {@code metadata} values as JSON values: maps as objects, lists as arrays,
 * numbers and booleans as themselves, anything else as its string. Shared by the error envelope
 * and the mid-stream error chunk so both show the same metadata the same way.
 */
public final class MetadataJson {
  private MetadataJson() {}

  /** Writes {@code metadata} as a JSON object. */
  public static void write(JsonGenerator g, Map<String, Object> metadata) throws IOException {
    writeValue(g, metadata);
  }

  private static void writeValue(JsonGenerator g, @Nullable Object value) throws IOException {
    switch (value) {
      case null -> g.writeString("");
      case Map<?, ?> map -> {
        g.writeStartObject();
        for (var entry : map.entrySet()) {
          g.writeFieldName(String.valueOf(entry.getKey()));
          writeValue(g, entry.getValue());
        }
        g.writeEndObject();
      }
      case Iterable<?> list -> {
        g.writeStartArray();
        for (Object element : list) {
          writeValue(g, element);
        }
        g.writeEndArray();
      }
      case Number number -> g.writeNumber(number.toString());
      case Boolean bool -> g.writeBoolean(bool);
      default -> g.writeString(String.valueOf(value));
    }
  }
}
