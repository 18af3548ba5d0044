/**
 * The {@code profiles} layout: collections of profile files (Argo) where each slice along a record
 * dimension ({@code N_PROF}) is one row of the store, identified by configured fields and the
 * profile's position in its file, with versions ranked by configured fields. See docs/profiles.md.
 */
package io.zarrsync.core.layout.profiles;
