/**
 * The adapter for Anthropic's Messages API, version {@code 2023-06-01}
 * (https://docs.anthropic.com/en/api/messages; spec in {@code shared/reference/specs/anthropic.yaml},
 * {@code CreateMessageParams}, {@code Message}, {@code MessageStreamEvent}). {@link
 * dev.switchboard.provider.anthropic.AnthropicAdapter} wires the package-private encoder ({@code
 * AnthropicRequestEncoder}, with {@code AnthropicMessages} for the conversation), the decoders and
 * the error classifier.
 *
 * <p>Reference pages: messages https://docs.anthropic.com/en/api/messages, streaming
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming, extended thinking
 * https://platform.claude.com/docs/en/build-with-claude/extended-thinking, PDF support
 * https://docs.anthropic.com/en/docs/build-with-claude/pdf-support, prompt caching
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching, stop reasons
 * https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons, errors
 * https://platform.claude.com/docs/en/api/errors.
 *
 * <h2>Set-up</h2>
 *
 * <ul>
 *   <li>The base URL is the host root, {@code https://api.anthropic.com}, <b>without</b> {@code /v1}:
 *       the adapter's path is {@code /v1/messages}. (OpenAI-compatible base URLs end in {@code /v1};
 *       this one does not.)
 *   <li>Auth is {@code x-api-key: KEY}, applied by the transport ({@code AnthropicAdapter.AUTH_HEADER});
 *       the encoder adds {@code anthropic-version: 2023-06-01}. No beta header is sent.
 * </ul>
 *
 * <h2>Request translation, and the quirks behind it</h2>
 *
 * <ul>
 *   <li><b>max_tokens is required</b>: the client's cap, else {@code AnthropicAdapter.DEFAULT_MAX_TOKENS}
 *       (4096), since the adapter does not know the endpoint's own output limit.
 *   <li><b>System prompt</b>: Anthropic has no system role, only a top-level {@code system}; every
 *       system and developer message, wherever it stands, becomes a text block there, in order. Only
 *       text is allowed in it.
 *   <li><b>Alternation</b>: roles must alternate, so consecutive same-role turns are merged into one
 *       (https://docs.anthropic.com/en/api/messages: "Consecutive user or assistant turns ... will be
 *       combined"); tool messages become {@code tool_result} blocks of a user turn, consecutive results
 *       (parallel calls) in one turn, placed before any other block of that turn as Anthropic requires.
 *       Turns left without content are dropped; blank text blocks are dropped (Anthropic rejects them);
 *       message {@code name}s are dropped (no such field).
 *   <li><b>Assistant prefill</b>: a final assistant turn is a prefill; Anthropic rejects one ending in
 *       whitespace, so trailing whitespace is trimmed.
 *   <li><b>Images</b>: a base64 {@code data:} URL becomes a {@code base64} source, an http(s) URL a
 *       {@code url} source; {@code detail} has no equivalent. <b>Files</b>: a PDF (base64 data URL or
 *       http(s) URL) or a base64 {@code text/plain} file becomes a {@code document} block, titled with
 *       the filename; a {@code file_id} cannot be mapped and is a 400, as is audio input.
 *   <li><b>Tool calls</b> become {@code tool_use} blocks whose {@code input} is the arguments' JSON
 *       text ({@code {}} when empty; arguments that are not a JSON object are a 400). Ids are made to
 *       match Anthropic's {@code [a-zA-Z0-9_-]+} by replacing other characters with {@code _}, the same
 *       way in {@code tool_use.id} and {@code tool_result.tool_use_id}. Tools are {@code {name,
 *       description, input_schema}} (an empty object schema when the function has no parameters);
 *       OpenAI's {@code strict} is not sent (it needs a beta header).
 *   <li><b>tool_choice</b>: auto, none, required ({@code any}), function ({@code tool}); {@code
 *       parallel_tool_calls: false} is {@code disable_parallel_tool_use: true}. Without tools no
 *       {@code tool_choice} is sent.
 *   <li><b>JSON answers</b> ({@code response_format}): Anthropic's native structured outputs ({@code
 *       output_config.format}) exist only on newer models and the adapter cannot know the endpoint's,
 *       so a {@code json_schema} format becomes a tool named {@code json_answer_<schema name>} with the
 *       schema as its {@code input_schema}, and {@code json_object} a tool {@code json_answer} taking any
 *       object. Alone (or with {@code tool_choice: none}) the tool is forced; beside the client's tools,
 *       {@code tool_choice} becomes {@code any} so the model either calls a real tool or answers. The
 *       decoders turn a call of a {@code json_answer*} tool back into text (its input) and its {@code
 *       tool_use} stop into {@code stop}. They know it by name only, as they never see the request: a
 *       client tool named {@code json_answer...} would be read as answer text too.
 *   <li><b>Reasoning</b>: OpenRouter's {@code reasoning} object (in {@code extra}: {@code effort},
 *       {@code max_tokens}, {@code enabled}) or OpenAI's {@code reasoning_effort} becomes {@code
 *       thinking: {"type":"enabled","budget_tokens":N}}; effort sets the budget as a share of {@code
 *       max_tokens} (xhigh/max 95%, high 80%, medium 50%, low 20%, minimal 10%) between 1024 and 32000;
 *       when the budget reaches {@code max_tokens}, {@code max_tokens} becomes budget + cap. A client's
 *       own {@code thinking} object is sent as it is (the way to ask for {@code adaptive} thinking,
 *       which the newest models require instead of budgets). Thinking is left off when the tool choice
 *       forces a tool (Anthropic: incompatible) and when the conversation ends in tool results for an
 *       assistant turn without a thinking block (Anthropic: 400). With thinking on, {@code temperature}
 *       and {@code top_k} are not sent and {@code top_p} only from 0.95 (Anthropic's limits). {@code
 *       reasoning.exclude} is not the adapter's concern (decoders do not see the request): the
 *       gateway's egress drops reasoning for it ({@code http.ReasoningExclusion}).
 *   <li><b>Thinking round trip</b>: a response's thinking blocks come back as {@link
 *       dev.switchboard.core.ContentPart.Unknown} parts of type {@code thinking} ({@code
 *       redacted_thinking}) holding the signed block; on an assistant message they are sent back
 *       verbatim, first in its content. Reasoning text without such a part is not sent: Anthropic
 *       rejects a thinking block without its signature. A stream gathers each thinking block's
 *       text and {@code signature_delta} and emits the same part at the block's end as a {@link
 *       dev.switchboard.core.StreamEvent.ReasoningDetail}. The OpenAI dialect exposes these parts
 *       as OpenRouter's {@code reasoning_details} and reads them back into the same parts.
 *   <li><b>Sampling</b>: Anthropic's temperature range is 0..1 (OpenAI's 0..2), so higher values are
 *       sent as 1; recent models reject {@code temperature} with {@code top_p}, so {@code top_p} is
 *       sent only without a temperature. {@code stop} is {@code stop_sequences}; {@code user} is
 *       {@code metadata.user_id} (a SHA-256 hex when over Anthropic's 256 characters). {@code seed},
 *       {@code logprobs} and {@code top_logprobs} have no equivalent and are not sent.
 *   <li><b>Extras</b>: Anthropic rejects unknown fields, so {@code extra} is not forwarded, except
 *       {@code top_k}, {@code thinking}, {@code output_config} and a top-level {@code cache_control}
 *       (automatic prompt caching).
 *   <li><b>Prompt caching</b>: the canonical model has no {@code cache_control}; a text part that
 *       reaches the adapter as a {@link dev.switchboard.core.ContentPart.Unknown} of type {@code text}
 *       keeps its {@code cache_control} (only {@code text} and {@code cache_control} are sent), and
 *       other unknown parts (Anthropic-native blocks, which may carry it) go verbatim. An OpenAI
 *       {@code refusal} part in a history becomes text.
 * </ul>
 *
 * <h2>Response translation</h2>
 *
 * <ul>
 *   <li>{@code stop_reason}: {@code end_turn}, {@code stop_sequence} and {@code pause_turn} are stop,
 *       {@code max_tokens} and {@code model_context_window_exceeded} length, {@code tool_use} tool
 *       calls, {@code refusal} content filter; the native value is kept.
 *   <li>Usage: Anthropic's {@code input_tokens} excludes cached tokens, so the canonical prompt count
 *       (which, as OpenAI's, includes them) is {@code input + cache_read + cache_creation}; cached
 *       tokens are {@code cache_read_input_tokens}, cache writes {@code cache_creation_input_tokens}.
 *       Thinking tokens are part of {@code output_tokens} and not reported apart.
 *   <li>Streams: tool-call deltas are indexed by the call's ordinal, not the content-block index; a
 *       stream that ends after {@code message_delta} carried the stop reason is complete even without
 *       {@code message_stop}; an {@code error} event (for example {@code overloaded_error} after HTTP
 *       200) fails the stream with the status Anthropic documents for its type (529 for overloaded).
 *   <li>Errors: HTTP status first (529 overloaded is a retryable server error); a 400 about the credit
 *       balance, a 402 {@code billing_error} and a 429 spend-limit are {@code PAYMENT}; {@code
 *       retry-after} is honoured.
 * </ul>
 */
@NullMarked
package dev.switchboard.provider.anthropic;

import org.jspecify.annotations.NullMarked;
