package dev.switchboard.http.completions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Usage;
import dev.switchboard.http.ChatDialect;
import dev.switchboard.http.ErrorEnvelope;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.http.openai.Stamp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * OpenAI's legacy text completions, answered by chat models: {@code POST /api/v1/completions} and
 * {@code POST /v1/completions}. See the package documentation for what is mapped and refused.
 */
public final class CompletionsDialect implements ChatDialect {
  private final JsonFactory json;
  private final CompletionsRequestReader reader;

  public CompletionsDialect(ObjectMapper mapper) {
    this.json = mapper.getFactory();
    this.reader = new CompletionsRequestReader(mapper);
  }

  @Override
  public ChatRequest read(byte[] body) {
    return reader.read(body);
  }

  @Override
  public byte[] response(ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = json.createGenerator(out)) {
      CompletionsResponseWriter.write(g, response, stamp, usage, cost);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public StreamWriter streamWriter(Stamp stamp) {
    return new CompletionsChunkWriter(json, stamp);
  }

  @Override
  public byte[] error(GatewayException error) {
    return ErrorEnvelope.json(json, error);
  }
}
