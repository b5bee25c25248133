/**
 * OpenAI's Responses API as a client dialect: {@code POST /api/v1/responses} and {@code POST
 * /v1/responses} (spec: {@code shared/reference/specs/openai.yaml}, {@code CreateResponse}, {@code
 * Response}, {@code ResponseStreamEvent}). {@link dev.switchboard.http.responses.ResponsesDialect}
 * wires the package-private reader ({@code ResponsesRequestReader}, with {@code
 * ResponsesInputReader} for {@code input}), the response writer and the stream writer. Any upstream
 * serves it: requests become canonical chat requests, answers are written back as Responses.
 *
 * <h2>Stateless, like OpenRouter's</h2>
 *
 * <p>The gateway keeps no conversations: {@code store: true}, {@code previous_response_id}, {@code
 * conversation}, {@code background: true}, stored {@code prompt} templates and {@code item_reference}
 * inputs are refused with a 400 that says to send the whole conversation in {@code input}. A missing
 * {@code store} counts as false (OpenAI's default is true, but a client that never set it does not
 * depend on storage).
 *
 * <h2>Request mapping</h2>
 *
 * <ul>
 *   <li>{@code instructions} becomes a leading system message; {@code input} as a string is one user
 *       message.
 *   <li>Assistant-side items that follow each other ({@code reasoning}, assistant {@code message},
 *       {@code function_call}) become one assistant turn, as a chat transcript has them: a Responses
 *       answer is one turn spread over several items. {@code function_call_output} items become tool
 *       messages.
 *   <li>{@code reasoning} items give the turn its reasoning text (their {@code content} texts, else
 *       their {@code summary} texts). Their {@code encrypted_content} is dropped: the gateway never
 *       produces it, and passing it on as an unknown content part would make OpenAI-compatible
 *       upstreams reject the turn. Reasoning followed by neither a message nor a call is dropped: chat
 *       upstreams refuse an assistant turn without content.
 *   <li>Only {@code function} tools are accepted (flat: {@code {"type":"function","name",…}}); hosted
 *       tools ({@code web_search}, {@code file_search}…) are refused with a 400.
 *   <li>{@code reasoning.effort} becomes OpenRouter's {@code reasoning: {"effort": …}}; {@code
 *       reasoning.summary} has no canonical counterpart and is not forwarded.
 *   <li>{@code text.format} becomes the response format; {@code max_output_tokens} the token cap.
 *   <li>Accepted and ignored: {@code metadata}, {@code include}, {@code truncation}, {@code
 *       service_tier}, {@code store: false}, {@code stream_options}, {@code top_logprobs}, {@code
 *       max_tool_calls}, {@code prompt_cache_key}, {@code safety_identifier}, and any field this
 *       reader does not know: they are Responses settings a chat upstream would refuse, so none is
 *       forwarded. OpenRouter's {@code models} and {@code provider} steer routing as on chat.
 * </ul>
 *
 * <h2>Answers</h2>
 *
 * <ul>
 *   <li>The response id is {@code resp_} plus the generation id's random part; the {@code
 *       X-Generation-Id} header carries the generation id itself, for {@code GET /generation}.
 *   <li>{@code output}: a {@code reasoning} item when the model reasoned (its text as one {@code
 *       summary_text}, the part most Responses clients display), then the assistant {@code message},
 *       then one {@code function_call} item per tool call.
 *   <li>Finish reason {@code length} gives {@code status: "incomplete"} with {@code
 *       incomplete_details.reason: "max_output_tokens"} ({@code content_filter} likewise).
 *   <li>The request's settings are echoed as OpenAI does ({@code tools}, {@code tool_choice}, {@code
 *       temperature}…), since the official SDKs require those fields; {@code instructions} is echoed
 *       as null because, once read, it cannot be told apart from a system message in {@code input}.
 *   <li>{@code usage} follows OpenAI's names (input tokens include cached ones, output tokens include
 *       reasoning ones, as in the canonical model) plus OpenRouter's {@code cost}.
 *   <li>Streams send OpenAI's event sequence ({@code response.created}, {@code
 *       response.in_progress}, then per item {@code output_item.added} … {@code output_item.done},
 *       ending with {@code response.completed}, {@code response.incomplete} or {@code
 *       response.failed}), each as {@code event: TYPE} plus {@code data} with a {@code
 *       sequence_number}. An upstream failure after the stream started ends it with {@code
 *       response.failed}; one before (while only keep-alive comments were sent) with an {@code error}
 *       event.
 * </ul>
 */
@NullMarked
package dev.switchboard.http.responses;

import org.jspecify.annotations.NullMarked;
