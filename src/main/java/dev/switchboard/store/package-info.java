/**
 * Storage: the repository interfaces every back-end implements, their value types, money in
 * nano-USD, {@link dev.switchboard.store.Database} (pool + migrations) and the group-committing
 * {@link dev.switchboard.store.GenerationWriter}.
 *
 * <p>This package sits below {@code keys} and {@code accounting}: it imports only {@code core},
 * {@code config} and its own back-end packages ({@code store.sqlite} and {@code
 * store.postgres}), which {@link dev.switchboard.store.Database#open} picks from the storage URL.
 * That is why {@link dev.switchboard.store.ApiKey} lives here rather than in {@code keys}: the
 * repository interface must name it, and {@code keys} uses the repository.
 */
@NullMarked
package dev.switchboard.store;

import org.jspecify.annotations.NullMarked;
