/**
 * The PostgreSQL back-end: plain JDBC repositories over pgjdbc, the pool set-up, and the monthly
 * partitions of {@code generations}. Schema: {@code src/main/resources/db/migration/postgresql},
 * which mirrors the SQLite migrations column for column.
 *
 * <p>Differences from SQLite that callers may notice: a batch of generation records is one {@code
 * INSERT … SELECT FROM unnest(…)} statement (one round trip however large the batch); commits are
 * flushed to disk before they return (the server's {@code synchronous_commit}, on by default),
 * except those carrying only attempt-journal rows (see {@code InFlightWrites}); and
 * generation ids are unique per {@code created_at} rather than table-wide (see the migration).
 */
@NullMarked
package dev.switchboard.store.postgres;

import org.jspecify.annotations.NullMarked;
