package dev.switchboard.http;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import java.math.BigDecimal;

/**
 * One client-facing API dialect (OpenAI chat completions, Anthropic Messages, OpenAI Responses…):
 * how its requests read into the canonical model and how canonical answers, streams and errors
 * are written back. The flow between (auth, routing, attempts, settlement) is shared by every
 * dialect in {@link ChatHandler}. Implementations are stateless and thread-safe.
 */
public interface ChatDialect {

  /**
   * Reads a request body.
   *
   * @throws GatewayException.InvalidRequest naming the field when the body is malformed
   */
  ChatRequest read(byte[] body);

  /** A complete, non-streamed answer. */
  byte[] response(ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost);

  /** A fresh writer for one streamed answer. */
  StreamWriter streamWriter(Stamp stamp);

  /**
   * A complete answer to {@code request}. The gateway calls this one; dialects whose answers echo
   * the request's settings (OpenAI Responses repeats {@code tools}, {@code temperature}…) override
   * it, the others keep this default.
   */
  default byte[] response(ChatRequest request, ChatResponse response, Stamp stamp, Usage usage, BigDecimal cost) {
    return response(response, stamp, usage, cost);
  }

  /**
   * A fresh writer for one streamed answer to {@code request}; the gateway calls this one (see
   * {@link #response(ChatRequest, ChatResponse, Stamp, Usage, BigDecimal)}).
   */
  default StreamWriter streamWriter(ChatRequest request, Stamp stamp) {
    return streamWriter(stamp);
  }

  /** The error body for {@code error}, in this dialect's envelope. */
  byte[] error(GatewayException error);

  /** The content type of {@link #response} and {@link #error} bodies. */
  default String contentType() {
    return "application/json";
  }
}
