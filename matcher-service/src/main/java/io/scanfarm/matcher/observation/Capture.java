package io.scanfarm.matcher.observation;

/** A captured packet (bytes from the IP header on) and its capture time in microseconds since the epoch. */
public record Capture(byte[] packet, long micros) {
}
