package dev.switchboard.http.responses;

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
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's Responses API, stateless: {@code POST /api/v1/responses} and {@code POST /v1/responses}.
 * Errors use the gateway's usual envelope, which carries OpenAI's {@code error.type}, {@code
 * message} and {@code param} the SDKs read. See the package documentation for the mapping.
 */
public final class ResponsesDialect implements ChatDialect {
  private final JsonFactory json;
  private final ResponsesRequestReader reader;
  private final InstantSource clock;

  public ResponsesDialect(ObjectMapper mapper) {
    this(mapper, InstantSource.system());
  }

  /** With the clock that dates {@code completed_at} (tests pin it). */
  public ResponsesDialect(ObjectMapper mapper, InstantSource clock) {
    this.json = mapper.getFactory();
    this.reader = new ResponsesRequestReader(mapper);
    this.clock = clock;
  }

  @Override
  public ChatRequest read(byte[] body) {
    return reader.read(body);
  }

  @Override
  public byte[] response(ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost) {
    return write(null, response, stamp, usage, cost);
  }

  @Override
  public byte[] response(ChatRequest request, ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost) {
    return write(request, response, stamp, usage, cost);
  }

  @Override
  public StreamWriter streamWriter(Stamp stamp) {
    return new ResponsesStreamWriter(json, stamp, null, clock);
  }

  @Override
  public StreamWriter streamWriter(ChatRequest request, Stamp stamp) {
    return new ResponsesStreamWriter(json, stamp, request, clock);
  }

  @Override
  public byte[] error(GatewayException error) {
    return ErrorEnvelope.json(json, error);
  }

  private byte[] write(@Nullable ChatRequest request, ChatResponse response, Stamp stamp, Usage usage,
      BigDecimal cost) {
    var finish = response.choices().isEmpty() ? null : response.first().finishReason();
    var snapshot = new ResponsesJson.Snapshot(stamp, request, ResponseState.of(finish),
        clock.instant().getEpochSecond(), OutputItem.of(response, stamp), usage, cost);
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = json.createGenerator(out)) {
      ResponsesJson.writeResponse(g, snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
