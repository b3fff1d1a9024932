package io.scanfarm.coordinator.service;

/** Kafka could not be reached or refused the request; the message says what to check. */
public final class BrokerUnavailableException extends Exception {

    public BrokerUnavailableException(String message) {
        super(message, null, false, false);
    }
}
