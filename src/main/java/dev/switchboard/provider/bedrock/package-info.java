/**
 * The adapter for Amazon Bedrock's Converse and ConverseStream APIs (Bedrock Runtime, API version
 * 2023-09-30): one request shape for every chat model Bedrock serves.
 *
 * <ul>
 *   <li>Converse: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 *   <li>ConverseStream: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 *       and its events, https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
 *   <li>Guide: https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference.html;
 *       tools: https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use.html; prompt caching:
 *       https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 * </ul>
 *
 * <p>Endpoint and credentials: {@code POST https://bedrock-runtime.<region>.amazonaws.com/model/<modelId>/converse}
 * (or {@code /converse-stream}), the model id (or inference profile id, or ARN) escaped as one
 * path segment. Requests are signed with SigV4 for service {@code bedrock}
 * ({@code provider.transport.UpstreamAuth.SigV4}); a Bedrock API key ({@code
 * AWS_BEARER_TOKEN_BEDROCK}) works instead as {@code UpstreamAuth.Bearer}. Streams are AWS event
 * streams ({@code application/vnd.amazon.eventstream}), framed by the transport's {@code
 * AwsEventStreamReader}.
 *
 * <h2>Known quirks, and how the adapter handles them</h2>
 *
 * <ul>
 *   <li><b>Model id in the path</b>: ids contain {@code :} ({@code
 *       anthropic.claude-3-5-sonnet-20241022-v2:0}) and ARNs contain {@code /}, so the id is
 *       percent-encoded ({@code %3A}, {@code %2F}) as AWS's SDKs send it; SigV4 then encodes the
 *       path once more in its canonical request, which the AWS signer does.
 *   <li><b>No response id or model</b> in a Converse body: the id is the {@code x-amzn-RequestId}
 *       header; a stream has neither.
 *   <li><b>Media only as bytes</b>: images and documents need {@code source.bytes}; an http(s)
 *       image URL or a file id is rejected with a 400 naming the part (the gateway does not fetch
 *       URLs for the client). {@code data:} URLs are sent as their base64. Formats: png, jpeg, gif,
 *       webp images; pdf, csv, doc, docx, xls, xlsx, html, txt, md documents. Document names may
 *       only hold letters, digits, single spaces, hyphens, parentheses and brackets, so file names
 *       are cleaned. Bedrock may also require a text block beside a document; that is left to it.
 *       No audio input.
 *   <li><b>Blank text is a 400</b> ("The text field in the ContentBlock object ... is blank"), as
 *       is a turn with no content: blank text is left out and an emptied turn dropped. Inside a
 *       {@code toolResult} an empty list is accepted and is what an empty tool result becomes.
 *   <li><b>Roles alternate</b>, with tool results inside user turns: consecutive turns of one role
 *       are merged. System and developer turns all go to {@code system}.
 *   <li><b>Tool ids</b> must match {@code [a-zA-Z0-9_-]+}: other characters become {@code _}, alike
 *       in calls and results. <b>Arguments</b> are a JSON value: empty ones become {@code {}}, and
 *       a stream's tool call that got no input fragment ends with {@code {}}.
 *   <li><b>Tool choice</b>: {@code auto} → {@code {auto:{}}}, {@code required} → {@code
 *       {any:{}}}, a function → {@code {tool:{name}}} (Bedrock lets only some models, Anthropic's
 *       and Mistral Large, use the last two; others answer 400). There is no {@code none}: the
 *       tools are left out, unless the conversation holds tool blocks, which need a {@code
 *       toolConfig}; then they are sent without a choice. A conversation with tool blocks but no
 *       tools declares the tools it used with empty schemas. {@code parallel_tool_calls} has no
 *       equivalent and is not sent.
 *   <li><b>JSON output</b>: no {@code response_format}. A {@code json_schema} (or {@code
 *       json_object}) request offers a tool named {@code json_answer_<name>} (or {@code
 *       json_answer}) with the schema as input schema and forces it; its input comes back as the
 *       message text with finish reason {@code stop} (native {@code tool_use}). The decoders know
 *       the tool by its name alone, so a client tool called {@code json_answer...} would be read
 *       as an answer too. While Claude is thinking it cannot be forced to a tool, so the answer
 *       tool is then only offered.
 *   <li><b>Reasoning</b>: OpenRouter's {@code reasoning} / {@code reasoning_effort} become Claude's
 *       {@code additionalModelRequestFields.thinking} (budget from {@code max_tokens} or the
 *       effort, OpenRouter's formula), for ids containing {@code anthropic.} only; other models
 *       get nothing (their fields differ, and unknown fields are a 400). Reasoning comes back as
 *       {@code reasoningContent}: its text in {@code reasoning}, the whole block with its {@code
 *       signature} as an unknown content part that is sent back verbatim on the next turn (Claude
 *       rejects a tool-use continuation whose thinking lost its signature). Plain {@code reasoning}
 *       text without that block is not sent back. A stream gathers the block's text and {@code
 *       signature} deltas and emits the same part at its {@code contentBlockStop}. A client's
 *       echoed {@code reasoning_details} arrive as Anthropic-native thinking blocks and are sent as
 *       {@code reasoningContent}. Thinking is left off where Claude would refuse it: when the
 *       client's tool choice forces a tool, and for a tool-result turn whose assistant turn has no
 *       signed reasoning block (an OpenAI client that does not echo {@code reasoning_details}). While thinking, Claude also refuses a temperature other than 1
 *       and a low {@code top_p}; they are sent as the client asked, and Bedrock's 400 says what to
 *       change.
 *   <li><b>Usage</b>: {@code inputTokens} excludes cache reads and writes; the canonical prompt
 *       count is their sum, with {@code cacheReadInputTokens} as cached and {@code
 *       cacheWriteInputTokens} as cache writes. Cache points themselves cannot be requested.
 *   <li><b>Stop reasons</b>: {@code end_turn}, {@code stop_sequence} → stop; {@code tool_use} →
 *       tool_calls; {@code max_tokens}, {@code model_context_window_exceeded} → length; {@code
 *       guardrail_intervened}, {@code content_filtered} → content_filter; {@code
 *       malformed_model_output}, {@code malformed_tool_use} → error; anything new → stop.
 *   <li><b>Streams</b>: payloads carry a random {@code p} padding field (ignored); usage comes in a
 *       {@code metadata} event after {@code messageStop}, so the finish waits for it. Failures
 *       mid-stream arrive as exception messages ({@code throttlingException} → rate limited,
 *       {@code modelStreamErrorException}, {@code internalServerException}, {@code
 *       serviceUnavailableException} → server, {@code validationException} → bad request).
 *   <li><b>Errors</b>: the type is in {@code x-amzn-ErrorType} and the text in {@code message};
 *       see {@code BedrockErrors} for the kinds. {@code ServiceQuotaExceededException} is a 400
 *       that means this account's quota, so it is treated as rate limiting.
 *   <li><b>Temperature</b> is 0..1 in Converse (OpenAI's goes to 2): a higher one is sent as 1.
 *   <li><b>Not sent</b>: {@code seed}, {@code logprobs}, {@code user}, and every other extra
 *       field (they belong to other dialects; Bedrock's own {@code additionalModelRequestFields}
 *       are only written for reasoning).
 * </ul>
 */
@NullMarked
package dev.switchboard.provider.bedrock;

import org.jspecify.annotations.NullMarked;
