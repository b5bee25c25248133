/**
 * The SQLite back-end: plain JDBC repositories and the pool set-up (pragmas, migration lock).
 * Schema: {@code src/main/resources/db/migration/sqlite}.
 */
@NullMarked
package dev.switchboard.store.sqlite;

import org.jspecify.annotations.NullMarked;
