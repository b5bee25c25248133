/**
 * Moving bytes to and from providers: the pooled Vert.x HTTP client, timeouts, framing of
 * streamed bodies and credentials. Checked exceptions and Vert.x failures are translated to
 * {@link dev.switchboard.core.UpstreamError}s here and go no further.
 */
@NullMarked
package dev.switchboard.provider.transport;

import org.jspecify.annotations.NullMarked;
