/**
 * The OpenAI adapter (https://platform.openai.com/docs/api-reference/chat). A thin subclass of the
 * openai-compatible adapter: OpenAI's wire format is the reference dialect, so its translation and
 * quirks are documented in {@link dev.switchboard.provider.openaicompat}.
 */
@NullMarked
package dev.switchboard.provider.openai;

import org.jspecify.annotations.NullMarked;
