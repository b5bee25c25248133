/**
 * Storage: the repository interfaces every back-end implements, their value types, money in
 * nano-USD, {@link dev.switchboard.store.Database} (pool + migrations) and the group-committing
 * {@link dev.switchboard.store.GenerationWriter} (which also commits the attempt journal), crash
 * recovery ({@link dev.switchboard.store.NodeJournal}), and what runs unchanged on both back-ends
 * ({@link dev.switchboard.store.Jdbc}, {@link dev.switchboard.store.JdbcLedgerRepository}, {@link
 * dev.switchboard.store.GenerationReads}, {@link dev.switchboard.store.AccountingWrites}, {@link
 * dev.switchboard.store.InFlightWrites}, {@link dev.switchboard.store.ProviderCredentials}).
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
