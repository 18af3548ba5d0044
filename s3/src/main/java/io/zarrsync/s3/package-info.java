/**
 * S3 storage for zarrsync: {@link io.zarrsync.s3.S3Store} (a Zarr store under {@code
 * s3://bucket/prefix}) and {@link io.zarrsync.s3.S3Source} (NetCDF objects under a prefix), opened
 * with {@link io.zarrsync.s3.S3Locations} and configured by {@link io.zarrsync.s3.S3Settings}.
 */
package io.zarrsync.s3;
