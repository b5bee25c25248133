/**
 * Immutable configuration records, the YAML loader and its validation. Every option's default
 * sits beside its declaration here.
 */
@NullMarked
package dev.switchboard.config;

import org.jspecify.annotations.NullMarked;
