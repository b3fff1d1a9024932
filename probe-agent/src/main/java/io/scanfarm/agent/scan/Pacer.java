package io.scanfarm.agent.scan;

/**
 * A packets-per-second ceiling as a token bucket over a caller-supplied clock (microseconds): it refills at
 * the rate and holds at most ten milliseconds' worth (at least one packet), so bursts stay short.
 */
final class Pacer {

    private final double perMicro;
    private final double capacity;
    private double tokens;
    private long last;

    Pacer(int packetsPerSecond, long nowMicros) {
        if (packetsPerSecond <= 0) {
            throw new IllegalArgumentException("a rate must be positive: " + packetsPerSecond);
        }
        this.perMicro = packetsPerSecond / 1e6;
        this.capacity = Math.max(1.0, packetsPerSecond / 100.0);
        this.tokens = 1.0;
        this.last = nowMicros;
    }

    /** Takes one packet's token if one is there now. */
    boolean tryTake(long nowMicros) {
        refill(nowMicros);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** When the next token will be there. */
    long nextMicros(long nowMicros) {
        refill(nowMicros);
        return tokens >= 1.0 ? nowMicros : nowMicros + (long) Math.ceil((1.0 - tokens) / perMicro);
    }

    private void refill(long nowMicros) {
        if (nowMicros > last) {
            tokens = Math.min(capacity, tokens + (nowMicros - last) * perMicro);
            last = nowMicros;
        }
    }
}
