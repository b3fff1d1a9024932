package io.scanfarm.matcher.tests.gen1;

/** One filled sequence slot after Nmap packs the slots: the reply's ISN, IP ID and TSval, and its SYN's send time. */
public record SeqSample(long isn, int ipId, long tsVal, long sentMicros) {
}
