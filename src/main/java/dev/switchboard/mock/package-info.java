/**
 * {@code switchboard mock-upstream}: a deterministic emulator of LLM providers for demos,
 * integration tests and load tests. One server speaks OpenAI's chat completions (and Azure
 * OpenAI's deployment paths), Anthropic's Messages, Gemini's generateContent and Bedrock's
 * Converse (JSON, and AWS event streams for ConverseStream), chosen by path, and
 * OpenAI's embeddings ({@link dev.switchboard.mock.MockEmbeddings}).
 *
 * <p>Design: what to answer is decided once, wire-neutrally ({@link
 * dev.switchboard.mock.MockPrompt} in, {@link dev.switchboard.mock.MockAnswer} out, by {@link
 * dev.switchboard.mock.MockAnswers}); how it is spelled on the wire belongs to one codec per
 * dialect ({@link dev.switchboard.mock.MockDialect}: {@link dev.switchboard.mock.OpenAiMockWire},
 * {@link dev.switchboard.mock.AnthropicMockWire}, {@link dev.switchboard.mock.GeminiMockWire},
 * {@link dev.switchboard.mock.BedrockMockWire}, each with an encoder beside it); a stream is a list
 * of {@link dev.switchboard.mock.MockFrame}s, SSE events or event-stream messages. Faults are
 * chosen per request by {@code #mock:…} directives in the last user message or by the {@code
 * x-mock-fault} header ({@link dev.switchboard.mock.MockFaults}), so they pass through any gateway
 * unchanged.
 *
 * <p>The package is standalone: it imports nothing else from Switchboard, so it can be started from
 * tests of any package without pulling in the gateway.
 */
@NullMarked
package dev.switchboard.mock;

import org.jspecify.annotations.NullMarked;
