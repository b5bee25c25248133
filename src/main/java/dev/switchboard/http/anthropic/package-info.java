/**
 * Anthropic's Messages API as a client dialect ({@code POST /v1/messages} and {@code POST
 * /api/v1/messages}, plus {@code count_tokens}), for Anthropic's SDKs and Claude Code: request
 * JSON to the canonical {@code core} model, and canonical answers, streams and errors back to
 * Anthropic's JSON and SSE. Reference: https://docs.anthropic.com/en/api/messages, streaming
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming, errors
 * https://docs.anthropic.com/en/api/errors; spec in {@code shared/reference/specs/anthropic.yaml}.
 * Any model the gateway serves can be called this way, whatever its upstream speaks.
 *
 * <h2>Requests</h2>
 *
 * <ul>
 *   <li>{@code max_tokens} is required, as Anthropic requires it (400 naming it when missing);
 *       {@code count_tokens} does not need it.
 *   <li>{@code system} (a string or text blocks) is a leading system message.
 *   <li>Blocks: {@code text}; {@code image} (base64 source as a {@code data:} URL, or a URL);
 *       {@code document} (a base64 PDF as a file with a {@code data:} URL, a URL as a file, a
 *       plain-text source as text); {@code tool_use} as the assistant's tool calls (input JSON as
 *       the arguments); {@code tool_result} as tool messages, placed before the rest of their turn,
 *       {@code is_error} kept as an {@code Error: } prefix since the canonical model has no such
 *       flag; {@code thinking} as the assistant's reasoning and, whole, as an unknown part of type
 *       {@code thinking} ({@code redacted_thinking} likewise), which the Anthropic adapter sends
 *       back with its signature. Other block types are kept whole as unknown parts.
 *   <li>Prompt caching: a text block with {@code cache_control} stays whole as an unknown part of
 *       type {@code text}; the Anthropic adapter sends its breakpoint on, OpenAI-compatible
 *       adapters send it as text. A top-level {@code cache_control} (automatic caching) is kept.
 *       {@code cache_control} on tools, images, documents and tool results has no canonical place
 *       and is dropped: those requests are served, without that breakpoint.
 *   <li>{@code tools} are custom tools ({@code name}, {@code description}, {@code input_schema});
 *       Anthropic's server tools (typed, such as web search) are a 400, since no other upstream
 *       could run them. {@code tool_choice}: auto, any (required), tool (a named function), none;
 *       {@code disable_parallel_tool_use} is {@code parallel_tool_calls: false}.
 *   <li>{@code thinking}: {@code enabled} with {@code budget_tokens} becomes OpenRouter's {@code
 *       reasoning: {"max_tokens": budget}}, {@code adaptive} {@code reasoning: {"enabled": true}},
 *       the form every adapter reads.
 *   <li>{@code temperature} and {@code top_p} (Anthropic's 0..1 ranges), {@code stop_sequences},
 *       {@code metadata.user_id} as the user, {@code top_k} kept as an extra, {@code stream}.
 *       Other top-level fields (betas, {@code service_tier}, {@code container}…) are not passed on:
 *       an upstream of another family would refuse them.
 * </ul>
 *
 * <h2>Answers</h2>
 *
 * <ul>
 *   <li>The {@code id} is the generation id ({@code gen-…}, also in {@code X-Generation-Id}), so
 *       {@code GET /api/v1/generation?id=…} finds its cost; {@code model} is the catalog model that
 *       served it. Nothing outside Anthropic's schema is added.
 *   <li>Content: thinking blocks first (an Anthropic upstream's, verbatim with signatures; another
 *       upstream's reasoning as one block with an empty signature), text, then {@code tool_use}
 *       with the arguments as the {@code input} object ({@code {}} when empty).
 *   <li>{@code stop_reason}: {@code tool_use} whenever there are tool calls; length is {@code
 *       max_tokens}, content filter {@code refusal}, anything else {@code end_turn}, except that an
 *       Anthropic upstream's own agreeing value ({@code stop_sequence}, {@code pause_turn}…) is kept.
 *       {@code stop_sequence} is always null: the canonical model does not say which one matched.
 *   <li>Usage: {@code input_tokens} is the prompt less cached and cache-written tokens (Anthropic
 *       counts them apart), plus {@code cache_read_input_tokens}, {@code
 *       cache_creation_input_tokens} and {@code output_tokens}.
 *   <li>Streams: {@code message_start} (usage 0: not known yet), blocks opened and closed around
 *       the deltas ({@code text_delta}, {@code thinking_delta}, {@code input_json_delta}), then
 *       {@code message_delta} with the stop reason and the settled usage, and {@code message_stop};
 *       {@code ping} keeps a slow upstream's connection open. No {@code signature_delta}: stream
 *       events carry no signature. A failure after the stream began is an {@code error} event.
 *   <li>Errors: {@code {"type":"error","error":{"type","message"}}} with Anthropic's type for the
 *       status (a 503 is {@code overloaded_error}, as Anthropic's 529).
 * </ul>
 */
@NullMarked
package dev.switchboard.http.anthropic;

import org.jspecify.annotations.NullMarked;
