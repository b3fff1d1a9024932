package io.scanfarm.matcher.tests;

/** One accepted SEQ reply: the probe's send time and the reply's ISN, IP ID and TSval (null without one). */
public record SeqSample(int slot, long sentMicros, long capturedMicros, long isn, int ipId, Long tsVal) {
}
