/**
 * The adapter for Google's Gemini API (the {@code generativelanguage} API, version {@code v1beta};
 * reference: https://ai.google.dev/api/generate-content). Pure translators: {@link
 * dev.switchboard.provider.gemini.GeminiAdapter} wires the package-private encoder, decoders and
 * error classifier; the transport adds the key as {@code x-goog-api-key}.
 *
 * <h2>Known quirks, and how the adapter handles them</h2>
 *
 * <ul>
 *   <li><b>Roles</b> (https://ai.google.dev/api/caching#Content): only {@code user} and {@code
 *       model}. System and developer messages, wherever they appear, become {@code
 *       systemInstruction} text parts; tool results are {@code functionResponse} parts in a {@code
 *       user} turn; consecutive turns of one role are merged into one content, so parallel function
 *       responses travel together as the docs require. Participant names have no field and are
 *       dropped; so is an assistant turn's reasoning text (Gemini takes reasoning back only as
 *       thought signatures, below).
 *   <li><b>Function responses need the function's name</b>, not a call id: the name is looked up
 *       from the assistant turn that made the call. The output goes as {@code {"result": ...}},
 *       parsed when it is JSON, because {@code response} must be an object.
 *   <li><b>Call ids</b> (https://ai.google.dev/api/caching#FunctionCall): {@code FunctionCall.id}
 *       is optional and the Developer API usually leaves it out, so calls are named {@code
 *       call_<n>} by position unless Gemini gave an id. Ids are never sent back: Gemini pairs
 *       responses with calls by name and order, and ids from other providers mean nothing to it.
 *   <li><b>Thought signatures</b> (https://ai.google.dev/gemini-api/docs/thought-signatures):
 *       Gemini 3 answers 400 "Function call is missing a thought_signature" unless the signature it
 *       put on a {@code functionCall} part comes back on that part. The canonical model has no field
 *       for it and OpenAI clients echo only the tool-call id, so the signature rides in the id:
 *       {@code <id>__thought__<signature>} (LiteLLM's separator, so ids minted there work here too),
 *       with the signature in URL-safe base64 so the id stays within {@code [A-Za-z0-9_-]}. When an
 *       assistant turn's calls carry no signature (history from another provider) the first call
 *       gets the documented placeholder {@code skip_thought_signature_validator}. Signatures on text
 *       parts are not kept: the API only enforces those on function calls.
 *   <li><b>Tool schemas</b> (https://ai.google.dev/api/caching#Schema): {@code parameters} is an
 *       OpenAPI-3.0 subset read into a protobuf, and any other keyword is a 400 ("Unknown name
 *       ... Cannot find field"). Only {@code type, format, title, description, nullable, enum,
 *       items, properties, required, anyOf, minItems, maxItems, minLength, maxLength, pattern,
 *       minimum, maximum, minProperties, maxProperties, example, default, propertyOrdering} are
 *       kept; {@code additionalProperties}, {@code $schema}, {@code $id}, {@code $defs}, {@code
 *       strict}, {@code examples}, {@code not}, {@code if/then/else}, {@code
 *       exclusiveMinimum/Maximum}, {@code multipleOf}, {@code uniqueItems} and the like are
 *       dropped. What can be rewritten is: {@code "type": ["string", "null"]} and a {@code {"type":
 *       "null"}} union member (Pydantic's {@code Optional}) become {@code nullable}; {@code const}
 *       becomes a one-value {@code enum}; {@code oneOf} becomes {@code anyOf}; draft-4 tuple
 *       {@code items} keep their first schema; local {@code $ref}s ({@code #/$defs/...}, {@code
 *       #/definitions/...}, {@code #}) are inlined to a fixed depth, so recursive schemas end; a
 *       lone {@code allOf} is merged. String {@code format}s other than {@code enum} and {@code
 *       date-time} are a 400 ("only 'enum' and 'date-time' are supported for STRING type") and are
 *       dropped, as are enums of numbers (Gemini's enum is a list of strings). A top-level object
 *       schema without properties is a 400 ("properties: should be non-empty for OBJECT type"), so
 *       a function without parameters is declared without {@code parameters}.
 *   <li><b>Structured output</b> (https://ai.google.dev/gemini-api/docs/structured-output): {@code
 *       json_schema} goes as {@code responseJsonSchema}, verbatim, not as {@code responseSchema}:
 *       since November 2025 every supported model takes standard JSON Schema there ({@code $ref},
 *       {@code anyOf}, {@code additionalProperties}, type arrays), so nothing needs stripping. Both
 *       JSON modes set {@code responseMimeType: application/json}.
 *   <li><b>Reasoning</b> (https://ai.google.dev/gemini-api/docs/thinking): OpenRouter's {@code
 *       reasoning} object (or top-level {@code reasoning_effort}) becomes {@code thinkingConfig}:
 *       {@code max_tokens} is the {@code thinkingBudget}; an effort is a share of {@code max_tokens}
 *       (OpenRouter's ratios: 0.1 minimal, 0.2 low, 0.5 medium, 0.8 high, 0.95 xhigh), or a fixed
 *       budget without one, capped at 24576 (2.5 Flash's maximum); {@code none} or {@code enabled:
 *       false} is budget 0; {@code enabled: true} alone is -1 (dynamic). {@code includeThoughts} is
 *       {@code !exclude}. Gemini 3 prefers {@code thinkingLevel} but still accepts budgets. Thought
 *       parts ({@code thought: true}) come back as reasoning.
 *   <li><b>Media</b>: a data URL becomes {@code inlineData}; any other URL (https, {@code gs://},
 *       a Files API URI) becomes {@code fileData} with the MIME type guessed from the extension
 *       ({@code image/jpeg} for images when unknown). OpenAI's image {@code detail} has no
 *       equivalent and is dropped. Audio goes inline as {@code audio/<format>}.
 *   <li><b>Not expressible</b>: logprobs (Gemini's shape differs and is not translated), {@code
 *       parallel_tool_calls} (no switch), {@code user}, participant names. Of the extras, only
 *       {@code top_k}, {@code frequency_penalty}, {@code presence_penalty} and the reasoning fields
 *       are read; the rest are not forwarded, since Gemini rejects unknown fields.
 *   <li><b>Finish reasons</b> (https://ai.google.dev/api/generate-content#FinishReason): {@code
 *       STOP} with function calls is {@code tool_calls}; {@code MAX_TOKENS} is {@code length}; the
 *       safety family ({@code SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII} and their
 *       {@code IMAGE_*} variants) is {@code content_filter}; malformed or unexpected tool calls,
 *       {@code MISSING_THOUGHT_SIGNATURE}, {@code LANGUAGE}, {@code OTHER} and {@code NO_IMAGE} are
 *       {@code error}; unknown values are a normal stop. A prompt blocked before generation comes as
 *       {@code promptFeedback.blockReason} without candidates and becomes a {@code content_filter}
 *       finish whose native reason is the block reason. The native value is always kept.
 *   <li><b>Usage</b> (https://ai.google.dev/api/generate-content#UsageMetadata): completion tokens
 *       are {@code candidatesTokenCount + thoughtsTokenCount} (OpenAI counts reasoning as
 *       completion); prompt tokens include {@code toolUsePromptTokenCount}; cached tokens are {@code
 *       cachedContentTokenCount}. Zero counts are omitted on the wire (proto3 JSON) and stay null.
 *   <li><b>Streams</b>: {@code :streamGenerateContent?alt=sse}; every {@code data:} is a whole
 *       {@code GenerateContentResponse} holding only the new parts, with cumulative usage; there is
 *       no {@code [DONE]}, so the finish is held until the body ends, and a body that ends without a
 *       finish reason is a reset. Function calls arrive whole, in one part. An error mid-stream is a
 *       {@code data:} holding the usual error envelope.
 *   <li><b>Embeddings</b> (https://ai.google.dev/api/embeddings): one input goes to {@code
 *       :embedContent}, several to {@code :batchEmbedContents} (at most 100 per call; more is
 *       Gemini's 400, not split here). {@code dimensions} is {@code outputDimensionality};
 *       OpenRouter's {@code input_type} is the {@code taskType} ({@code search_query} →
 *       {@code RETRIEVAL_QUERY}, {@code search_document} → {@code RETRIEVAL_DOCUMENT}, other names
 *       upper-cased). Answers carry no token counts, so the gateway estimates them (flagged).
 *       Vectors shorter than 3072 are not normalised by Gemini; they are passed on as given.
 *   <li><b>Errors</b> (https://ai.google.dev/gemini-api/docs/troubleshooting): the {@code
 *       google.rpc.Status} envelope {@code {"error": {"code", "message", "status", "details"}}}.
 *       A bad API key is HTTP 400 {@code INVALID_ARGUMENT} with an {@code ErrorInfo} reason {@code
 *       API_KEY_INVALID}, so it is classified as an auth failure, not a bad request. A 429 says how
 *       long to wait in a {@code RetryInfo} detail ({@code "retryDelay": "29s"}) rather than in a
 *       header.
 * </ul>
 */
@NullMarked
package dev.switchboard.provider.gemini;

import org.jspecify.annotations.NullMarked;
