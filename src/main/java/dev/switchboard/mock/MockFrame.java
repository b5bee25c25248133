package dev.switchboard.mock;

import io.vertx.core.buffer.Buffer;

/**
 * One message of a streamed answer, as its dialect frames it: a server-sent event ({@link
 * MockChunks.Event}; OpenAI, Anthropic, Gemini) or an AWS event-stream message ({@link
 * BedrockMockMessage}; Bedrock's ConverseStream). {@link MockStream} plays frames without knowing
 * which.
 */
sealed interface MockFrame permits MockChunks.Event, BedrockMockMessage {
  /** The frame's bytes on the wire; a fresh buffer each call. */
  Buffer frame();

  /**
   * The same frame with its payload cut in half, for {@code #mock:malformed}: the framing stays
   * valid, so what breaks is the JSON inside, which a decoder must report mid-stream.
   */
  MockFrame cut();
}
