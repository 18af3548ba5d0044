/**
 * Benchmarks run as plain programs (not unit tests): each prints its figures and the ratio against
 * the Python reference measured in the same run on the same files.
 */
package io.zarrsync.bench;
