package dev.switchboard.http.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Usage;
import dev.switchboard.http.ChatDialect;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.http.openai.Stamp;
import java.math.BigDecimal;

/**
 * Anthropic's Messages dialect: {@code POST /v1/messages} (and {@code /api/v1/messages}), for
 * Anthropic's SDKs and Claude Code. Stateless and thread-safe; see {@code package-info} for how
 * each field maps.
 */
public final class AnthropicChatDialect implements ChatDialect {
  private final JsonFactory json;
  private final AnthropicRequestReader reader;
  private final AnthropicResponseWriter writer;

  public AnthropicChatDialect(ObjectMapper mapper) {
    this.json = mapper.getFactory();
    this.reader = new AnthropicRequestReader(mapper);
    this.writer = new AnthropicResponseWriter(json);
  }

  @Override
  public ChatRequest read(byte[] body) {
    return reader.read(body);
  }

  /** A {@code count_tokens} body: a Messages request that needs no {@code max_tokens}. */
  public ChatRequest readForCounting(byte[] body) {
    return reader.readForCounting(body);
  }

  /** The answer as Anthropic's {@code Message}; the cost is not part of it (see the generation). */
  @Override
  public byte[] response(ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost) {
    return writer.write(response, stamp, usage);
  }

  @Override
  public StreamWriter streamWriter(Stamp stamp) {
    return new AnthropicStreamWriter(json, stamp);
  }

  @Override
  public byte[] error(GatewayException error) {
    return AnthropicErrorEnvelope.json(json, error);
  }
}
