/**
 * OpenAI's legacy text-completions API as a client dialect: {@code POST /api/v1/completions} and
 * {@code POST /v1/completions} (spec: {@code shared/reference/specs/openai.yaml}, {@code
 * CreateCompletionRequest}, {@code CreateCompletionResponse}), as OpenRouter keeps it for clients
 * such as the AI SDK's {@code completion()}.
 *
 * <p>Chat models answer it: the prompt is sent as the single user turn of a chat request, and the
 * assistant's reply comes back as the completion's {@code text}. A model therefore answers the
 * prompt rather than continuing it word for word, as an instruct model would.
 *
 * <ul>
 *   <li>{@code prompt} is a string, or an array holding one string; several prompts, token-id
 *       prompts, {@code suffix} (fill-in-the-middle), {@code echo}, {@code n} or {@code best_of}
 *       above 1 and {@code logprobs} above 0 are refused with a 400 that says what to send instead.
 *   <li>Without {@code max_tokens} the upstream's own limit applies, not the legacy API's default of
 *       16 tokens.
 *   <li>{@code temperature}, {@code top_p}, {@code stop}, {@code seed}, {@code user} map to the
 *       canonical fields; other fields ({@code frequency_penalty}, {@code logit_bias}, OpenRouter's
 *       {@code reasoning}…) are forwarded as on chat, and {@code models} and {@code provider} steer
 *       routing.
 *   <li>Answers: {@code object: "text_completion"}, one choice with {@code text}, {@code
 *       finish_reason} and {@code logprobs: null}, usage with OpenRouter's {@code cost}. Reasoning
 *       and tool calls have no place in this format and are left out.
 *   <li>Streams: {@code text_completion} chunks, then a chunk with only {@code usage}, then {@code
 *       data: [DONE]}; a mid-stream failure is a chunk with a top-level {@code error}, as on chat.
 * </ul>
 */
@NullMarked
package dev.switchboard.http.completions;

import org.jspecify.annotations.NullMarked;
