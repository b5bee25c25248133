/** The command-line interface: picocli commands that the launcher runs. */
@NullMarked
package dev.switchboard.app.cli;

import org.jspecify.annotations.NullMarked;
