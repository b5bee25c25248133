/**
 * The OpenAI/OpenRouter chat dialect: request JSON to the canonical {@code core} model, and
 * canonical responses and stream events back to OpenAI/OpenRouter JSON and SSE.
 */
@NullMarked
package dev.switchboard.http.openai;

import org.jspecify.annotations.NullMarked;
