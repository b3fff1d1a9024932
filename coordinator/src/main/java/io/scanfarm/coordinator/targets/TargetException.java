package io.scanfarm.coordinator.targets;

/** A target specification that cannot be used; the message names it and says what is expected. */
public final class TargetException extends RuntimeException {

    public TargetException(String message) {
        super(message);
    }
}
