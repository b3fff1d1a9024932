package io.scanfarm.matcher.observation;

/**
 * An observation no fingerprint can be computed from (no target, or a target that is not an IPv4 address): a
 * classified refusal, unlike a bug. The message says what is wrong with it.
 */
public final class UnusableObservationException extends IllegalArgumentException {

    public UnusableObservationException(String message) {
        super(message);
    }
}
