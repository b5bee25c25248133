/**
 * The composition root: builds the object graph from config in one place ({@link
 * dev.switchboard.app.GatewayApp}), and the command line ({@link dev.switchboard.app.Main}).
 * The only package that knows every implementation.
 */
@NullMarked
package dev.switchboard.app;

import org.jspecify.annotations.NullMarked;
