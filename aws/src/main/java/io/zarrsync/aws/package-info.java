/**
 * zarrsync on AWS: S3 event notifications read from an SQS queue as a committer feed ({@link
 * io.zarrsync.aws.SqsFeed}), routed to collections by their S3 source ({@link
 * io.zarrsync.aws.S3Routes}), and the AWS Lambda handler ({@link
 * io.zarrsync.aws.lambda.ZarrsyncHandler}). See docs/aws.md.
 */
package io.zarrsync.aws;
