/**
 * The canonical domain every request crosses: OpenAI-shaped, owned by the gateway, free of JSON
 * annotations and of any dependency on the rest of Switchboard.
 *
 * <p>Ingress dialects map their wire JSON to {@link dev.switchboard.core.ChatRequest}; provider
 * adapters map it to their own wire format and map their responses back to {@link
 * dev.switchboard.core.ChatResponse} or a sequence of {@link dev.switchboard.core.StreamEvent}s.
 */
@NullMarked
package dev.switchboard.core;

import org.jspecify.annotations.NullMarked;
