package dev.switchboard.mock;

import static java.util.Objects.requireNonNull;

/**
 * A chat request as any dialect's codec reads it.
 *
 * @param stream whether the answer is streamed
 * @param includeUsage whether a streamed answer reports usage (OpenAI's {@code
 *     stream_options.include_usage}; always true for providers that always report it)
 * @param reasoning whether the request itself asks to see the model's reasoning (Anthropic's
 *     {@code thinking}, Gemini's {@code includeThoughts}); {@code #mock:reasoning} asks too
 */
record MockRequest(MockPrompt prompt, boolean stream, boolean includeUsage, boolean reasoning) {
  MockRequest {
    requireNonNull(prompt, "prompt");
  }
}
