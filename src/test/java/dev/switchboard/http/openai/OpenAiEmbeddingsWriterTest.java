package dev.switchboard.http.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.EmbeddingRequest.EncodingFormat;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.EmbeddingVector;
import dev.switchboard.core.Usage;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingsWriterTest {
  private final OpenAiEmbeddingsWriter writer = new OpenAiEmbeddingsWriter(OpenAiRequestReaderTest.JSON.getFactory());
  private final Stamp stamp = new Stamp("gen-1", 1_746_000_000L, "openai/text-embedding-3-small", "openai", null);

  @Test
  void writesOpenAisListWithOpenRoutersUsageAndCost() throws Exception {
    var response = new EmbeddingResponse(
        List.of(EmbeddingVector.of(0.5f, -0.25f), EmbeddingVector.of(0.0023064255f, 1e-8f)), null, "up-1", "m");

    byte[] raw = writer.write(response, EncodingFormat.FLOAT, stamp, new Usage(7, 0, null, null, null, true),
        new BigDecimal("0.000000140"));
    JsonNode body = json(raw);

    // Money as a plain decimal, never in exponent form.
    assertThat(new String(raw, java.nio.charset.StandardCharsets.UTF_8)).contains("\"cost\":0.00000014}");

    assertThat(body.toString()).isEqualTo("{\"id\":\"gen-1\",\"object\":\"list\",\"data\":["
        + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-0.25]},"
        + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.0023064255,1.0E-8]}],"
        + "\"model\":\"openai/text-embedding-3-small\",\"provider\":\"openai\","
        + "\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7,\"cost\":1.4E-7}}");
    // Floats come back exactly as float32 values, whatever their decimal spelling.
    assertThat(body.at("/data/1/embedding/0").floatValue()).isEqualTo(0.0023064255f);
    assertThat(body.at("/usage/cost").decimalValue()).isEqualByComparingTo("0.00000014");
  }

  @Test
  void base64IsTheLittleEndianFloat32BytesAndRoundTripsExactly() throws Exception {
    float[] values = new float[3072];
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    var response = new EmbeddingResponse(List.of(EmbeddingVector.of(values), EmbeddingVector.of(0.5f, -0.25f, 0.125f)),
        null, null, null);

    JsonNode body = json(writer.write(response, EncodingFormat.BASE64, stamp, Usage.of(3, 0), BigDecimal.ZERO));

    assertThat(body.at("/data/1/embedding").textValue()).isEqualTo("AAAAPwAAgL4AAAA+");
    float[] decoded = new float[values.length];
    ByteBuffer.wrap(Base64.getDecoder().decode(body.at("/data/0/embedding").textValue()))
        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
    assertThat(decoded).containsExactly(values);
    assertThat(body.at("/usage/cost").asText()).isEqualTo("0");
  }

  private static JsonNode json(byte[] body) throws Exception {
    return OpenAiRequestReaderTest.JSON.readTree(body);
  }
}
