/** The {@code zarrsync} command line: picocli commands over the core engine. */
package io.zarrsync.cli;
