/**
 * Object-store event notifications (S3 via SQS, SNS, Lambda or EventBridge) parsed into hints for
 * the sync engine: {@link io.zarrsync.events.EventParser} reads a message, {@link
 * io.zarrsync.events.EventOrder} keeps the last event per object, {@link
 * io.zarrsync.events.SourceEventMapper} makes {@link io.zarrsync.core.SourceEvent}s relative to a
 * source prefix. See docs/events.md.
 */
package io.zarrsync.events;
