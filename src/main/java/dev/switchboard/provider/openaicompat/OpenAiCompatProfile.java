package dev.switchboard.provider.openaicompat;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One OpenAI-compatible provider, described as data: where it lives, how it authenticates, and
 * how its dialect differs from OpenAI's. The built-in profiles are in {@code profiles.yaml}
 * beside this class and are loaded by {@link OpenAiCompatProfiles}.
 *
 * @param slug the provider's id in config and routing (for example {@code groq})
 * @param displayName a human name for logs and the models API
 * @param baseUrl the default base URL, without a trailing slash, ending before
 *     {@code /chat/completions}
 * @param apiKeyEnv the environment variable that conventionally holds the key; null when the
 *     provider takes none
 * @param baseUrlEnv an environment variable that overrides {@code baseUrl} (self-hosted servers)
 * @param authStyle how the transport puts the key on the request
 * @param apiKeyOptional whether requests may go out without a key (a local vLLM without
 *     {@code --api-key})
 * @param paramRenames top-level request fields renamed on the way out, by OpenAI name (for example
 *     {@code max_completion_tokens -> max_tokens})
 * @param unsupportedParams request fields dropped before sending because the provider rejects
 *     them; top-level names, or {@code messages[].name} for the message participant name
 * @param streamUsageOption whether to send {@code stream_options: {"include_usage": true}} on
 *     streamed requests (providers that always report usage, or reject the option, say false)
 * @param quirks dialect differences that are not a rename or a drop
 * @param headers extra headers sent on every request (never credentials)
 */
public record OpenAiCompatProfile(
    String slug,
    String displayName,
    String baseUrl,
    @Nullable String apiKeyEnv,
    @Nullable String baseUrlEnv,
    AuthStyle authStyle,
    boolean apiKeyOptional,
    Map<String, String> paramRenames,
    Set<String> unsupportedParams,
    boolean streamUsageOption,
    Set<Quirk> quirks,
    Map<String, String> headers) {

  public OpenAiCompatProfile {
    requireNonNull(slug, "slug");
    requireNonNull(displayName, "displayName");
    requireNonNull(baseUrl, "baseUrl");
    if (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    requireNonNull(authStyle, "authStyle");
    paramRenames = Map.copyOf(paramRenames);
    unsupportedParams = Set.copyOf(unsupportedParams);
    quirks = Set.copyOf(quirks);
    headers = Map.copyOf(headers);
  }

  /** How the credential is sent. The transport applies it; adapters never see keys. */
  public sealed interface AuthStyle {
    /** {@code Authorization: Bearer <key>}. */
    record Bearer() implements AuthStyle {}

    /** The key as the whole value of a named header (for example {@code api-key}). */
    record Header(String name) implements AuthStyle {
      public Header {
        requireNonNull(name, "name");
        if (name.isBlank()) {
          throw new IllegalArgumentException("auth header name must not be blank");
        }
      }
    }

    /** No credential at all (a local Ollama). */
    record None() implements AuthStyle {}
  }

  /** Dialect differences that need code, switched on by data. */
  public enum Quirk {
    /**
     * Send {@code developer} messages with role {@code system}. Only OpenAI itself knows the
     * {@code developer} role; Cerebras documents that it "does not expose developer directly",
     * and open-model chat templates (vLLM, Ollama) have no such role.
     */
    DEVELOPER_AS_SYSTEM,
    /**
     * Streamed usage may arrive in {@code x_groq.usage} on the final chunk instead of (or as well
     * as) a top-level {@code usage}: Groq's original streaming format.
     */
    USAGE_IN_X_GROQ,
    /**
     * Cached prompt tokens are reported as {@code usage.prompt_cache_hit_tokens} (DeepSeek's
     * context caching) when {@code prompt_tokens_details.cached_tokens} is absent.
     */
    CACHE_HIT_TOKENS,
    /**
     * Send an assistant turn's reasoning back as {@code reasoning} on the message. OpenRouter
     * needs it to preserve reasoning across tool-call turns; DeepSeek, by contrast, answers 400
     * when an input message carries {@code reasoning_content}, so it is off by default.
     */
    ECHO_REASONING,
    /**
     * Text parts keep their {@code cache_control} breakpoint (a text part a client sent with one,
     * held whole as an unknown part). OpenRouter caches by it for Anthropic and Alibaba models;
     * other servers get plain text, since strict ones answer 400 to the unknown field.
     */
    CACHE_CONTROL,
    /**
     * A trailing assistant message is answered with a new turn instead of being continued: OpenAI's
     * own chat completions has no prefill. Takes {@link dev.switchboard.provider.Capability#CONTINUATION}
     * away, so a broken stream is never resumed there. Servers built on chat templates (vLLM,
     * llama.cpp, Ollama) and OpenRouter continue the last assistant message.
     */
    NO_PREFILL
  }

  /** Whether the request field with this OpenAI name is sent at all. */
  public boolean supports(String openAiParam) {
    return !unsupportedParams.contains(openAiParam);
  }

  /** The name the provider expects for a request field with this OpenAI name. */
  public String wireName(String openAiParam) {
    return paramRenames.getOrDefault(openAiParam, openAiParam);
  }

  public boolean has(Quirk quirk) {
    return quirks.contains(quirk);
  }

  /**
   * The base URL to use: the value of {@code baseUrlEnv} in {@code environment} when set and not
   * blank, else {@link #baseUrl()}. Takes the environment as a function so callers and tests can
   * pass {@code System::getenv} or a map.
   */
  public String resolveBaseUrl(UnaryOperator<@Nullable String> environment) {
    if (baseUrlEnv != null) {
      String fromEnv = environment.apply(baseUrlEnv);
      if (fromEnv != null && !fromEnv.isBlank()) {
        String trimmed = fromEnv.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
      }
    }
    return baseUrl;
  }

  /** This profile with another base URL (an operator's override). */
  public OpenAiCompatProfile withBaseUrl(String newBaseUrl) {
    return new OpenAiCompatProfile(
        slug, displayName, newBaseUrl, apiKeyEnv, baseUrlEnv, authStyle, apiKeyOptional, paramRenames,
        unsupportedParams, streamUsageOption, quirks, headers);
  }

  /** This profile with more default headers; on a name clash the new value wins. */
  public OpenAiCompatProfile withHeaders(Map<String, String> extraHeaders) {
    var merged = new LinkedHashMap<>(headers);
    merged.putAll(extraHeaders);
    return new OpenAiCompatProfile(
        slug, displayName, baseUrl, apiKeyEnv, baseUrlEnv, authStyle, apiKeyOptional, paramRenames,
        unsupportedParams, streamUsageOption, quirks, merged);
  }

  /** This profile under another slug and name (a second account, or a custom server). */
  public OpenAiCompatProfile withSlug(String newSlug, String newDisplayName) {
    return new OpenAiCompatProfile(
        newSlug, newDisplayName, baseUrl, apiKeyEnv, baseUrlEnv, authStyle, apiKeyOptional, paramRenames,
        unsupportedParams, streamUsageOption, quirks, headers);
  }
}
