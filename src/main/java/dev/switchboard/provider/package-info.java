/**
 * The provider adapter SPI. Adapters are pure translators between the canonical {@code core}
 * model and one provider's wire format; HTTP, timeouts, retries and credentials live outside
 * them ({@code provider.transport}, {@code routing}).
 */
@NullMarked
package dev.switchboard.provider;

import org.jspecify.annotations.NullMarked;
