/**
 * The provider adapter SPI. Adapters are pure translators between the canonical {@code core}
 * model and one provider's wire format; HTTP, timeouts, retries and credentials live outside
 * them ({@code provider.transport}, {@code routing}).
 *
 * <p>Code that several adapters need lives here too, since no adapter may import another (STYLE.md,
 * "Dependency rules"): reading {@code retry-after} ({@link dev.switchboard.provider.RetryAfter}),
 * building errors from what a provider sent ({@link dev.switchboard.provider.UpstreamErrors}),
 * reading a JSON body ({@link dev.switchboard.provider.JsonBodies}) and token counts ({@link
 * dev.switchboard.provider.UsageCounts}), ending a stream ({@link
 * dev.switchboard.provider.StreamEnds}), and the JSON-answer tool of providers without a JSON mode
 * ({@link dev.switchboard.provider.AnswerTool}, {@link dev.switchboard.provider.AssistantContent}).
 * Each adapter's quirks stay in its own package.
 */
@NullMarked
package dev.switchboard.provider;

import org.jspecify.annotations.NullMarked;
