package dev.switchboard.http.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Usage;
import dev.switchboard.http.ChatDialect;
import dev.switchboard.http.ErrorEnvelope;
import dev.switchboard.http.StreamWriter;
import java.math.BigDecimal;

/** OpenAI's and OpenRouter's chat-completions dialect: {@code POST /api/v1/chat/completions}. */
public final class OpenAiChatDialect implements ChatDialect {
  private final JsonFactory json;
  private final OpenAiRequestReader reader;
  private final OpenAiResponseWriter writer;

  public OpenAiChatDialect(ObjectMapper mapper) {
    this.json = mapper.getFactory();
    this.reader = new OpenAiRequestReader(mapper);
    this.writer = new OpenAiResponseWriter(json);
  }

  @Override
  public ChatRequest read(byte[] body) {
    return reader.read(body);
  }

  @Override
  public byte[] response(ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost) {
    return writer.write(response, stamp, usage, cost);
  }

  @Override
  public StreamWriter streamWriter(Stamp stamp) {
    return new OpenAiChunkWriter(json, stamp);
  }

  @Override
  public byte[] error(GatewayException error) {
    return ErrorEnvelope.json(json, error);
  }
}
