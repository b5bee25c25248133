/**
 * API keys: generating them, hashing them, and authenticating requests with them.
 *
 * <p>A key's plaintext exists only in {@link dev.switchboard.keys.IssuedKey}, returned once at
 * creation; the store keeps its SHA-256. Nothing in this package logs a key.
 */
@NullMarked
package dev.switchboard.keys;

import org.jspecify.annotations.NullMarked;
