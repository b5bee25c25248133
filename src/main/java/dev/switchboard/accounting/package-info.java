/**
 * Money: what a generation costs, computed exactly from the serving endpoint's prices and the
 * usage the provider reported. No {@code double} touches an amount here.
 */
@NullMarked
package dev.switchboard.accounting;

import org.jspecify.annotations.NullMarked;
