/**
 * Moving bytes to and from providers: the pooled Vert.x HTTP client, timeouts, credentials, and
 * the framing readers that split a streamed upstream body into {@link
 * dev.switchboard.provider.Frame}s ({@link dev.switchboard.provider.transport.SseReader}, {@link
 * dev.switchboard.provider.transport.NdjsonReader}, {@link
 * dev.switchboard.provider.transport.AwsEventStreamReader}).
 *
 * <p>Credentials are an {@link dev.switchboard.provider.transport.UpstreamAuth} strategy applied
 * last, after the adapter encoded the request: a bearer token, a key in a named header, or an AWS
 * SigV4 signature (the only code that uses the AWS SDK, in {@code AwsSigV4Signer}).
 *
 * <p>Adapters never see bytes: they declare a {@link dev.switchboard.provider.Framing} and
 * receive parsed frames, so no provider re-implements SSE parsing. Checked exceptions and Vert.x
 * failures are translated to {@link dev.switchboard.core.UpstreamError}s here and go no further.
 */
@NullMarked
package dev.switchboard.provider.transport;

import org.jspecify.annotations.NullMarked;
