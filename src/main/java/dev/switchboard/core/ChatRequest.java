package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A chat completion request in the gateway's canonical, OpenAI-shaped form.
 *
 * <p>Immutable: fallbacks re-encode the same instance for each attempt, so no adapter may change
 * it. Optional sampling parameters are null when the client did not send them, so adapters only
 * forward what was asked for.
 *
 * @param model the requested model id ({@code author/slug}, an alias, or a provider's own id)
 * @param fallbackModels OpenRouter's {@code models}: further models to try, in order
 * @param maxTokens the completion-token cap, from {@code max_completion_tokens} or {@code max_tokens}
 * @param stop stop sequences; empty when none
 * @param streamUsage whether the client asked for usage in the stream (always sent by the gateway)
 * @param extra top-level request fields the gateway does not interpret, verbatim, forwarded to
 *     upstreams that speak the same dialect
 * @param sessionId OpenRouter's {@code session_id} (or the {@code x-session-id} header): keeps a
 *     conversation on the endpoint that served it; never sent upstream; null when not given
 */
public record ChatRequest(
    String model,
    List<String> fallbackModels,
    List<Message> messages,
    List<ToolSpec> tools,
    @Nullable ToolChoice toolChoice,
    @Nullable Boolean parallelToolCalls,
    @Nullable ResponseFormat responseFormat,
    @Nullable Double temperature,
    @Nullable Double topP,
    @Nullable Long seed,
    @Nullable Integer maxTokens,
    List<String> stop,
    @Nullable Boolean logprobs,
    @Nullable Integer topLogprobs,
    @Nullable String user,
    boolean stream,
    boolean streamUsage,
    ProviderPreferences provider,
    Map<String, RawJson> extra,
    @Nullable String sessionId) {

  public ChatRequest {
    requireNonNull(model, "model");
    fallbackModels = List.copyOf(fallbackModels);
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    stop = List.copyOf(stop);
    requireNonNull(provider, "provider");
    extra = Map.copyOf(extra);
  }

  /** A request without a session id. */
  public ChatRequest(String model, List<String> fallbackModels, List<Message> messages, List<ToolSpec> tools,
      @Nullable ToolChoice toolChoice, @Nullable Boolean parallelToolCalls, @Nullable ResponseFormat responseFormat,
      @Nullable Double temperature, @Nullable Double topP, @Nullable Long seed, @Nullable Integer maxTokens,
      List<String> stop, @Nullable Boolean logprobs, @Nullable Integer topLogprobs, @Nullable String user,
      boolean stream, boolean streamUsage, ProviderPreferences provider, Map<String, RawJson> extra) {
    this(model, fallbackModels, messages, tools, toolChoice, parallelToolCalls, responseFormat, temperature, topP,
        seed, maxTokens, stop, logprobs, topLogprobs, user, stream, streamUsage, provider, extra, null);
  }

  /** A minimal non-streaming request, mostly for tests and tools. */
  public static ChatRequest of(String model, List<Message> messages) {
    return new ChatRequest(
        model, List.of(), messages, List.of(), null, null, null, null, null, null, null, List.of(),
        null, null, null, false, false, ProviderPreferences.NONE, Map.of());
  }

  /** This request with another model id; everything else shared. */
  public ChatRequest withModel(String newModel) {
    return new ChatRequest(
        newModel, fallbackModels, messages, tools, toolChoice, parallelToolCalls, responseFormat,
        temperature, topP, seed, maxTokens, stop, logprobs, topLogprobs, user, stream, streamUsage,
        provider, extra, sessionId);
  }

  /** This request with a session id; everything else shared. */
  public ChatRequest withSessionId(@Nullable String newSessionId) {
    return new ChatRequest(
        model, fallbackModels, messages, tools, toolChoice, parallelToolCalls, responseFormat,
        temperature, topP, seed, maxTokens, stop, logprobs, topLogprobs, user, stream, streamUsage,
        provider, extra, newSessionId);
  }

  /** This request with another completion-token cap; everything else shared. */
  public ChatRequest withMaxTokens(@Nullable Integer newMaxTokens) {
    return new ChatRequest(
        model, fallbackModels, messages, tools, toolChoice, parallelToolCalls, responseFormat,
        temperature, topP, seed, newMaxTokens, stop, logprobs, topLogprobs, user, stream, streamUsage,
        provider, extra);
  }

  /**
   * This request without the named optional parameters (OpenRouter's names, as {@link
   * #requestedParameters} gives them): what is sent to an endpoint that cannot honour them.
   * {@code tools} takes {@code tool_choice} and {@code parallel_tool_calls} with it; {@code
   * response_format} and {@code structured_outputs} both clear the response format.
   */
  public ChatRequest without(java.util.Set<String> parameters) {
    boolean noTools = parameters.contains("tools");
    boolean noFormat = parameters.contains("response_format") || parameters.contains("structured_outputs");
    boolean noLogprobs = parameters.contains("logprobs");
    return new ChatRequest(
        model, fallbackModels, messages,
        noTools ? List.of() : tools,
        noTools || parameters.contains("tool_choice") ? null : toolChoice,
        noTools || parameters.contains("parallel_tool_calls") ? null : parallelToolCalls,
        noFormat ? null : responseFormat,
        parameters.contains("temperature") ? null : temperature,
        parameters.contains("top_p") ? null : topP,
        parameters.contains("seed") ? null : seed,
        parameters.contains("max_tokens") ? null : maxTokens,
        parameters.contains("stop") ? List.of() : stop,
        noLogprobs ? null : logprobs,
        noLogprobs || parameters.contains("top_logprobs") ? null : topLogprobs,
        user, stream, streamUsage, provider, extra, sessionId);
  }

  /** The names of the optional parameters this request sets, as OpenRouter names them. */
  public List<String> requestedParameters() {
    var names = new java.util.ArrayList<String>();
    if (!tools.isEmpty()) names.add("tools");
    if (toolChoice != null) names.add("tool_choice");
    if (parallelToolCalls != null) names.add("parallel_tool_calls");
    if (responseFormat != null && !(responseFormat instanceof ResponseFormat.Text)) {
      names.add(responseFormat instanceof ResponseFormat.JsonSchema ? "structured_outputs" : "response_format");
    }
    if (temperature != null) names.add("temperature");
    if (topP != null) names.add("top_p");
    if (seed != null) names.add("seed");
    if (maxTokens != null) names.add("max_tokens");
    if (!stop.isEmpty()) names.add("stop");
    if (logprobs != null && logprobs) names.add("logprobs");
    if (topLogprobs != null) names.add("top_logprobs");
    return names;
  }
}
