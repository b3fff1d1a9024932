package io.scanfarm.matcher.fp;

/** One {@code NAME=VALUE} pair of a fingerprint test; in a reference the value is an expression. */
public record Attr(String name, String value) {
}
