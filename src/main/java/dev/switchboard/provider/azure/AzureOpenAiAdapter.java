package dev.switchboard.provider.azure;

import static java.util.Objects.requireNonNull;

import dev.switchboard.provider.Target;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Azure OpenAI deployments: the OpenAI translation, Azure's URL scheme and {@code api-key} auth. */
public final class AzureOpenAiAdapter extends OpenAiCompatAdapter {
  /** The config {@code kind:} of this adapter. */
  public static final String KIND = "azure-openai";

  /** The header that carries the key. */
  public static final String AUTH_HEADER = "api-key";

  /** The chat-completions API version used when the operator names none. */
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  private final String apiVersion;

  /**
   * @param profile the OpenAI profile (Azure speaks OpenAI's dialect, including {@code
   *     max_completion_tokens})
   * @param apiVersion the {@code api-version} query parameter
   */
  public AzureOpenAiAdapter(OpenAiCompatProfile profile, String apiVersion) {
    super(profile);
    this.apiVersion = requireNonNull(apiVersion, "apiVersion");
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  protected String path(Target target) {
    return deploymentPath(target, "/chat/completions");
  }

  @Override
  protected String embeddingsPath(Target target) {
    return deploymentPath(target, "/embeddings");
  }

  private String deploymentPath(Target target, String operation) {
    return "/openai/deployments/" + pathSegment(target.providerModelId())
        + operation + "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
  }

  /** URLEncoder encodes for forms, where a space is '+'; in a path it must be %20. */
  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
