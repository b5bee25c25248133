/**
 * BYOK (bring your own key): provider credentials an account stores so that its requests run on
 * its own provider account. Keys are sealed with AES-256-GCM under a master key the operator keeps
 * outside the database ({@link MasterKey}); they are decrypted only to be put on the wire, and never
 * returned by an API or written to a log.
 */
@NullMarked
package dev.switchboard.byok;

import org.jspecify.annotations.NullMarked;
