/**
 * Azure OpenAI: OpenAI's chat-completions dialect behind Azure's deployment URLs.
 *
 * <p>Differences from OpenAI, all in where the request goes and how it authenticates (the body
 * translation is the OpenAI adapter's):
 *
 * <ul>
 *   <li>The path names a <em>deployment</em>, not a model:
 *       {@code {base_url}/openai/deployments/{deployment}/chat/completions?api-version=…}, where
 *       {@code base_url} is the resource endpoint ({@code https://RESOURCE.openai.azure.com}) and
 *       the deployment is the endpoint's provider model id. See
 *       https://learn.microsoft.com/azure/ai-services/openai/reference.
 *   <li>{@code api-version} is required on every call; the default here is the GA version
 *       {@value dev.switchboard.provider.azure.AzureOpenAiAdapter#DEFAULT_API_VERSION}.
 *   <li>The key goes in an {@code api-key} header ({@link
 *       dev.switchboard.provider.azure.AzureOpenAiAdapter#AUTH_HEADER}), not {@code Authorization}.
 *   <li>Azure's content filter answers 400 with {@code code: content_filter}; the OpenAI error
 *       classifier already maps that to a content-filter error.
 * </ul>
 */
@NullMarked
package dev.switchboard.provider.azure;

import org.jspecify.annotations.NullMarked;
