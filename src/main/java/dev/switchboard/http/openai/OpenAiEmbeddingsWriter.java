package dev.switchboard.http.openai;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.EmbeddingRequest.EncodingFormat;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.EmbeddingVector;
import dev.switchboard.core.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes OpenAI's embeddings answer in OpenRouter's shape: {@code {"id", "object": "list", "data":
 * [{"object": "embedding", "index", "embedding"}], "model", "provider", "usage": {"prompt_tokens",
 * "total_tokens", "cost"}}}. A vector is a JSON array of numbers, or with {@code base64} the
 * standard base64 of its little-endian float32 bytes, which is what OpenAI's SDKs decode.
 */
public final class OpenAiEmbeddingsWriter {
  private final JsonFactory json;

  public OpenAiEmbeddingsWriter(JsonFactory json) {
    this.json = json;
  }

  public byte[] write(EmbeddingResponse response, EncodingFormat format, Stamp stamp, Usage usage, BigDecimal cost) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint(response.vectors(), format));
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", stamp.id());
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      ByteBuffer buffer = null;
      for (int i = 0; i < response.vectors().size(); i++) {
        EmbeddingVector vector = response.vectors().get(i);
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", i);
        g.writeFieldName("embedding");
        if (format == EncodingFormat.BASE64) {
          int bytes = vector.dimensions() * Float.BYTES;
          if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
          }
          buffer.clear();
          for (int d = 0; d < vector.dimensions(); d++) {
            buffer.putFloat(vector.value(d));
          }
          g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, buffer.array(), 0, bytes);
        } else {
          g.writeStartArray();
          for (int d = 0; d < vector.dimensions(); d++) {
            g.writeNumber(vector.value(d));
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("model", stamp.model());
      g.writeStringField("provider", stamp.provider());
      g.writeObjectFieldStart("usage");
      g.writeNumberField("prompt_tokens", usage.promptTokens());
      g.writeNumberField("total_tokens", usage.promptTokens());
      g.writeFieldName("cost");
      g.writeNumber(cost.signum() == 0 ? "0" : cost.stripTrailingZeros().toPlainString());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Roughly the body's size, so a large answer is not copied while the buffer doubles. */
  private static int sizeHint(List<EmbeddingVector> vectors, EncodingFormat format) {
    long values = 0;
    for (EmbeddingVector vector : vectors) {
      values += vector.dimensions();
    }
    // A float as text is about 12 characters with its comma; as base64 it is 16/3.
    long perValue = format == EncodingFormat.BASE64 ? 6 : 13;
    return (int) Math.min(Integer.MAX_VALUE - 16, 256 + vectors.size() * 64L + values * perValue);
  }
}
