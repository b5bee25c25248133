/**
 * Metrics: Micrometer meters in the Prometheus registry, fed by the attempt loop, served as {@code
 * GET /metrics}. Labels are catalog model ids and configured provider slugs only, so their number is
 * bounded by the configuration, never by what clients send.
 */
@NullMarked
package dev.switchboard.observability;

import org.jspecify.annotations.NullMarked;
