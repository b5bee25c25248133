/**
 * Inbound HTTP: the Vert.x server, routes, authentication, request body limits, error envelopes
 * and the per-request flow of each API. Dialect translation lives in the sub-packages.
 */
@NullMarked
package dev.switchboard.http;

import org.jspecify.annotations.NullMarked;
