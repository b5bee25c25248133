/**
 * The profile-driven adapter for every provider that speaks OpenAI's chat-completions dialect
 * (API reference: https://platform.openai.com/docs/api-reference/chat, spec in {@code
 * shared/reference/specs/openai.yaml}), and its embeddings API
 * (https://platform.openai.com/docs/api-reference/embeddings). Providers are data: {@code profiles.yaml} beside {@link
 * dev.switchboard.provider.openaicompat.OpenAiCompatProfiles}; the translation lives in {@link
 * dev.switchboard.provider.openaicompat.OpenAiCompatAdapter} and its package-private encoder,
 * decoders and error classifier.
 *
 * <h2>Known quirks, and how the profiles handle them</h2>
 *
 * <ul>
 *   <li><b>max tokens</b>: OpenAI deprecated {@code max_tokens} for {@code max_completion_tokens}
 *       (o-series models reject the old name). Compatible servers all take {@code max_tokens} and
 *       several ignore or reject the new one, so every profile but {@code openai} and {@code
 *       openrouter} renames it.
 *   <li><b>developer role</b>: only OpenAI (and OpenRouter, which translates) know {@code
 *       developer}; Cerebras says its API "does not expose developer directly" and open-model chat
 *       templates have no such role. Others get {@code system} ({@code developer_as_system}).
 *   <li><b>DeepSeek</b> (https://api-docs.deepseek.com/guides/reasoning_model): reasoning streams
 *       as {@code reasoning_content}; "if you pass reasoning_content in the input messages, the
 *       API returns 400", so assistant reasoning is never echoed back; cached prompt tokens are
 *       {@code usage.prompt_cache_hit_tokens} ({@code cache_hit_tokens}); the reasoner rejects
 *       {@code logprobs}/{@code top_logprobs} (left to the endpoint's supported parameters, since
 *       {@code deepseek-chat} accepts them).
 *   <li><b>Groq</b> (https://console.groq.com/docs/openai): "logprobs, logit_bias, top_logprobs,
 *       messages[].name ... will result in a 400 error", so they are dropped; {@code n} must be 1;
 *       older streams report usage only in {@code x_groq.usage} ({@code usage_in_x_groq}).
 *   <li><b>Mistral</b>: the seed is {@code random_seed}; unknown fields are a 422 ("Extra inputs are
 *       not permitted"), so {@code user}, {@code logprobs}, {@code top_logprobs}, {@code
 *       logit_bias} and {@code stream_options} are not sent; usage comes on the final chunk
 *       anyway. Finish reason {@code model_length} means the context filled up (LENGTH).
 *   <li><b>Cerebras</b> (https://inference-docs.cerebras.ai/resources/openai): {@code
 *       frequency_penalty}, {@code presence_penalty}, {@code logit_bias}, {@code
 *       parallel_tool_calls} and {@code service_tier} are a 400, so they are dropped.
 *   <li><b>Together, Fireworks</b>: usage arrives on the last chunk unasked, so no {@code
 *       stream_options}.
 *   <li><b>OpenRouter</b>: speaks the gateway's own dialect. Reasoning is {@code reasoning} and must
 *       be sent back on assistant turns across tool calls ({@code echo_reasoning}); errors mid-stream
 *       keep HTTP 200 and arrive as a chunk with a top-level {@code error} whose {@code code} is the
 *       HTTP status; {@code : OPENROUTER PROCESSING} keep-alive comments are dropped by the SSE
 *       reader. The routing fields {@code models}, {@code provider}, {@code route} and {@code
 *       transforms} are the gateway's own and are never forwarded.
 *   <li><b>Ollama, vLLM</b>: local, no key (vLLM takes an optional bearer); base URLs from {@code
 *       OLLAMA_BASE_URL}/{@code VLLM_BASE_URL}. vLLM streams reasoning as {@code
 *       reasoning_content} and may finish with {@code eos}.
 *   <li><b>Parts from the Anthropic dialect</b>: signed thinking blocks (unknown parts of type {@code
 *       thinking}/{@code redacted_thinking}) are not sent, as OpenAI-style servers refuse them; a
 *       text part kept whole for its {@code cache_control} keeps it only for OpenRouter ({@code
 *       cache_control}), and is plain text elsewhere, since strict servers answer 400 to the field.
 *   <li><b>Embeddings</b>: vectors are always asked for as base64 (little-endian float32: a
 *       quarter of the bytes of decimal text, and no number parsing) and the client's format is
 *       written by the gateway; the decoder also reads JSON numbers, for servers that ignore
 *       {@code encoding_format}. A profile that lists {@code encoding_format} as unsupported gets
 *       the default (numbers). {@code input} is always an array. Mistral calls {@code dimensions}
 *       {@code output_dimension}; OpenRouter's {@code input_type} reaches only OpenRouter (every
 *       other profile lists it as unsupported). Answers are put in input order by {@code index}.
 *   <li><b>Everyone</b>: the gateway always asks for streamed usage (to charge for the stream);
 *       reasoning is read from either {@code reasoning} or {@code reasoning_content}; a tool call
 *       without an id gets {@code call_<n>}; unknown finish reasons become STOP with the native
 *       value kept.
 * </ul>
 */
@NullMarked
package dev.switchboard.provider.openaicompat;

import org.jspecify.annotations.NullMarked;
